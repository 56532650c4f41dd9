"""The placeholder stage: masks and gaps, table-driven, plus invariants."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from speechclean import Config, clean_text
from speechclean.config import ConfigError
from speechclean.stages.placeholders import (
    find_gaps,
    find_masks,
    load_rules,
    mark_placeholders,
    parse_rules,
)

RULES = load_rules()


def masks_in(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.category) for m in find_masks(text, RULES, "××")]


def gaps_in(text: str) -> list[tuple[int, str]]:
    return [(g.start, g.confidence) for g in find_gaps(text, RULES, find_masks(text, RULES, "××"))]


# (text, [(mask, category), ...]) — every form of the issue, in context.
MASKS = [
    ("总产值XX亿元", [("XX", "number")]),
    ("突破XXXX万辆", [("XXXX", "number")]),
    ("国家级X家、省级X家", [("X", "number"), ("X", "number")]),
    ("于xx年xx月召开", [("xx", "date"), ("xx", "date")]),
    ("20XX年工作要点", [("XX", "date")]),
    ("XXX、XXX等一批企业落户", [("XXX", "organisation"), ("XXX", "organisation")]),
    ("XXX2家企业已投产", [("XXX", "unknown")]),
    ("ＸＸ公司", [("ＸＸ", "organisation")]),
    ("同比下降**%", [("**", "number")]),
    # a date label is two values, a month and a day, like xx年xx月 (heldout_17)
    ("吸取“X·XX”事故教训", [("X", "unknown"), ("XX", "unknown")]),
    ("同比增长X.X%", [("X.X", "number")]),
    # a line-start * before an office or place in a list is a name, not a bullet (heldout_15, heldout_17)
    ("*局、*委等个单位", [("*", "organisation"), ("*", "organisation")]),
    ("*县*镇*小区项目", [("*", "place"), ("*", "place"), ("*", "unknown")]),
    # (heldout_22, 23, 26: read after their clean figure was taken)
    ("要对XX线、XX线等条线路", [("XX", "unknown"), ("XX", "unknown")]),
    ("材料报送邮箱：XXXXXX@163.com", [("XXXXXX", "unknown")]),
    ("【乡镇】卫生院", [("【乡镇】", "place")]),
    ("深入学习贯彻***总书记讲话", [("***", "person")]),
    ("等*家企业", [("*", "number")]),
    ("＊＊＊集团", [("＊＊＊", "organisation")]),
    ("这说明×区抓工业", [("×", "place")]),
    ("增长×%", [("×", "number")]),
    ("提高×个百分点", [("×", "number")]),
    ("我市于×年底布局", [("×", "date")]),
    ("中国制造2025×示范区", [("×", "unknown")]),
    ("××同志讲话", [("××", "person")]),
    ("中国（x）智慧商显", [("x", "place")]),
    ("x工业发展主平台", [("x", "unknown")]),
    ("支持x开展试点", [("x", "unknown")]),
    ("在x市冲在前面", [("x", "place")]),
    ("某某同志发言", [("某某", "person")]),
    ("某某某主任", [("某某某", "person")]),
    ("○○局○○科", [("○○", "organisation"), ("○○", "unknown")]),
    ("□□市人民政府", [("□□", "place")]),
    ("╳╳县", [("╳╳", "place")]),
    ("完成投资____亿元", [("____", "number")]),
    ("兹有[单位名称]前来", [("[单位名称]", "organisation")]),
    ("【姓名】同志", [("【姓名】", "person")]),
    ("为[姓名]同志颁发[奖项名称]荣誉证书", [("[姓名]", "person"), ("[奖项名称]", "unknown")]),
    ("推进【活动名称】筹备", [("【活动名称】", "unknown")]),
    ("村民李某因宅基地纠纷多次上访", [("某", "person")]),
    ("某县某乡党委书记", [("某", "place"), ("某", "place")]),
    ("联系电话：【电话】", [("【电话】", "unknown")]),
    ("[年份]年度工作总结", [("[年份]", "date")]),
    ("于[日期]召开", [("[日期]", "date")]),
    ("年上半年，*县有个信访事项", [("*", "place")]),
]

# Texts in which nothing may be reported as a mask (the negatives).
NOT_MASKS = [
    "配备X光机", "开展X射线检测", "支持X86架构", "速度提升5x", "Xbox游戏机", "建立index索引",
    "Linux系统", "构建“2+5+N”汽车产业园区", "N个重点产业项目", "推行1+X证书制度",
    "某些地方", "某种程度上", "某个单位", "某一方面", "二〇二三年", "二〇〇八年", "一九九〇年",
    "*注：数据来源于统计局", "重大项目*。", "* 加强组织领导", "*加强组织领导", "*一是加强领导",
    "*区域协调发展", "*局面总体稳定", "配备X光机和X线机", "联系邮箱：max@163.com", "按“长×宽”计算", "“4×100米”接力",
    "“长××宽××高”", "3×4=12", "iPhone X发布", "XXL号", "访问www.xxx.com", "□ 同意",
    "前言\n******\n正文", "注：带*号的指标为快报数",
]

# (text, [(gap offset, confidence), ...])
GAPS = [
    ("新增投资项目个，新增", [(6, "high")]),
    ("预计总投资额亿元", [(6, "high")]),
    ("同比增长%，", [(4, "high")]),
    ("提高个百分点", [(2, "high")]),
    ("入选第批名单", [(3, "high")]),
    ("甲、、乙", [(2, "high")]),
    ("壮大，、等一批项目", [(3, "high"), (4, "high")]),
    ("热情。、通过解决", [(3, "high")]),
    ("、通过解决", [(0, "high")]),
    ("XXX、等产业项目", [(4, "high")]),
    ("等家企业取得批复", [(1, "high")]),
    ("投资的个“攻城拔寨”重点项目", [(3, "high")]),
    ("的发展已站在新的起点上", [(0, "high")]),
    ("，个项目已动工", [(1, "high")]),
    ("，的研究成果成功入选", [(1, "high")]),
    ("，同志被评为标兵", [(1, "high")]),
    ("对及重点零部件企业", [(1, "high")]),
    ("市政府与签订新一轮合作协议", [(4, "medium")]),
    ("由牵头单位负责", [(1, "medium")]),
    ("年产万辆新能源车", [(2, "medium")]),
    ("依托等已在落地的项目", [(2, "high")]),
    ("摸查及汽车零部件企业", [(2, "medium")]),
    # a classifier or unit closing a clause after a word that cannot count
    ("新增市场主体户，", [(6, "high")]),
    ("共举办招商活动场。", [(7, "high")]),
    ("解决实际问题件。", [(6, "high")]),
    ("服务企业余家。", [(4, "high")]),
    ("盘活闲置土地亩。", [(6, "high")]),
    ("新建农村公路公里，", [(6, "high")]),
    ("形成调研报告篇。", [(6, "high")]),
    # 企业家 closing a clause that counts enterprises
    ("新增规上工业企业家，", [(8, "high")]),
    ("新增省级专精特新企业家；", [(10, "high")]),
    # 个 after a scope with 有
    ("全县有个乡镇入选", [(3, "high")]),
    ("已有家银行入驻", [(2, "high")]),
    # a clause that starts with a classifier before a verb
    ("，项已经完成", [(1, "high")]),
    ("，家企业已上市", [(1, "high")]),
    # 、 before the count of a list
    ("，、两家企业成功上市", [(1, "high"), (2, "high")]),
    ("扶持、等智能网联重点企业", [(2, "high"), (3, "high")]),
    ("；与合作项目，加快", [(2, "low")]),
    # a counted noun ending at the gap is read before the word it overlaps (案件, 事项, 户户, 会场, 例例, 列列)
    ("全年共化解信访积案件，", [(9, "high")]),
    ("为群众办实事件。", [(6, "high")]),
    ("实施民生实事项，", [(6, "high")]),
    ("全镇共有农户户，", [(6, "high")]),
    ("共举办各类招聘会场，", [(8, "high")]),
    ("确诊病例例。", [(4, "high")]),
    ("开通中欧班列列，", [(6, "high")]),
    # more classifiers closing a clause
    ("整治违法用地宗，", [(6, "high")]),
    ("新增工业机器人台，", [(7, "high")]),
    ("发放就业创业服务卡张。", [(9, "high")]),
    ("组建志愿服务队支，", [(7, "high")]),
    ("新建标准厂房栋，", [(6, "high")]),
    ("补植行道树株。", [(5, "high")]),
    ("发放宣传资料份，", [(6, "high")]),
    # 人 after a word that counts people
    ("城镇新增就业人，", [(6, "high")]),
    ("给予党纪政务处分人。", [(8, "high")]),
    ("引进博士人、硕士人。", [(4, "high"), (8, "high")]),
    ("结对帮扶困难群众余人，", [(8, "high")]),
    ("城镇登记失业人员达到人。", [(10, "high")]),
    # 起 after a case or incident
    ("查处违纪违法案件起，", [(8, "high")]),
    ("调处矛盾纠纷起。", [(6, "high")]),
    ("发生生产安全事故起；", [(8, "high")]),
    # 期 of classes and events
    ("举办各类培训班期，", [(7, "high")]),
    ("开展“政企面对面”活动期。", [(11, "high")]),
    ("举办期年轻干部培训班", [(2, "high")]),
    ("开办期专题研修班", [(2, "high")]),
    # compound units
    ("受理群众来信来访批次。", [(8, "high")]),
    ("县级领导累计下沉人次，", [(8, "high")]),
    ("检查企业家次。", [(4, "high")]),
    # durations and dates
    ("连续年获评全省平安县", [(2, "high")]),
    ("项目历时天建成", [(4, "high")]),
    ("提前个月完成", [(2, "high")]),
    ("于年月日召开", [(1, "high"), (2, "high"), (3, "high")]),
    ("今年月底前完成", [(2, "high")]),
    ("定于5月日召开", [(4, "high")]),
    # a name deleted after 由/请
    ("由同志作工作报告", [(1, "high")]),
    ("请同志讲话", [(1, "high")]),
    # counts after a verb or slot, 多个, an empty list after 了
    ("人均可支配收入达到元，", [(9, "high")]),
    ("帮助解决问题多个。", [(6, "high")]),
    ("全县个行政村全部通了硬化路", [(2, "high")]),
    ("先后获得项国家级荣誉", [(4, "high")]),
    ("选派名第一书记驻村", [(2, "high")]),
    ("打造条精品旅游线路", [(2, "high")]),
    ("培育了、等一批知名品牌", [(3, "high"), (4, "high")]),
    # fourth round: heads of livestock, multiples, spent time, days, 截至月底, a list emptied before a verb
    ("生猪出栏头，肉牛存栏头。", [(4, "high"), (10, "high")]),
    ("技术合同成交额是上年的倍。", [(11, "high")]),
    ("我们用天时间完成了征地拆迁", [(3, "high")]),
    ("花了个月时间", [(2, "high")]),
    ("全年空气质量优良天数天。", [(10, "high")]),
    ("截至月底，已完成", [(2, "high")]),
    ("由牵头，、配合，", [(1, "medium"), (4, "high"), (5, "high")]),
    # ... a scope before the count, more verbs that take one, more counted nouns
    ("全县名机关干部结对帮扶户困难群众。", [(2, "high"), (11, "high")]),
    ("惠及家小微企业", [(2, "high")]),
    ("为名困难群众发放临时救助金", [(1, "high")]),
    ("完成座小型水库除险加固", [(2, "high")]),
    ("区委先后召开次常委会会议", [(6, "high")]),
    ("审批时限由个工作日压缩至个工作日。", [(5, "high"), (12, "high")]),
    ("承办全国性体育赛事项。", [(9, "high")]),
    ("移送司法机关人。", [(6, "high")]),
    ("争取上级资金比上年多亿元。", [(10, "high")]),
    # ... and from the heldout_4 misses: attendance, anniversaries, years, dates without a day, 户人
    ("大会应到代表名，实到名，", [(6, "high"), (10, "high")]),
    ("今年是公司成立周年，", [(7, "high")]),
    ("在过去的年里，", [(4, "high")]),
    ("本人于年月任现职，分管个科室和个直属单位。", [(3, "high"), (4, "high"), (11, "high"), (15, "high")]),
    ("预计到年，", [(3, "high")]),
    ("这是继年之后，", [(3, "high")]),
    ("全镇共有脱贫户户人，", [(7, "high"), (8, "high")]),
    ("带动周边余户群众增收", [(4, "high")]),
    ("开展各类活动余场次。", [(6, "high")]),
    ("受理来信来访件次，", [(6, "high")]),
    ("先进个人名、优秀项目项。", [(4, "high"), (10, "high")]),
    ("先后组建了支志愿服务队", [(5, "high")]),
    ("共有支代表队、名运动员参加", [(2, "high"), (7, "high")]),
    ("全市万名干部群众", [(2, "high")]),
    ("共设个大项、个小项。", [(2, "high"), (6, "high")]),
    ("同比减少起，", [(4, "high")]),
    ("协调解决企业用工人，", [(8, "high")]),
    ("全年供水万立方米，", [(4, "high")]),
    ("举办“道德讲堂”期，", [(8, "high")]),
    ("积极对接、等中央企业", [(4, "high"), (5, "high")]),
    ("在此，我谨向表示衷心的感谢！", [(6, "medium")]),
    # ... and from the heldout_5 misses (a blind set): titles before 同志, month and day, ranges, ratios, years
    ("镇长同志作了部署", [(2, "high")]),
    ("追授同志“优秀共产党员”称号", [(2, "high")]),
    ("我于月日参加培训", [(2, "high"), (3, "high")]),
    ("今年月份以来，", [(2, "high")]),
    ("开发区由个增加到个，", [(4, "high"), (8, "high")]),
    ("城乡居民收入比缩小到:1。", [(10, "high")]),
    ("死亡率降至/10万和‰，", [(5, "high"), (10, "high")]),
    ("较上年前移位。", [(5, "high")]),
    ("该同志扎根基层年，", [(7, "high")]),
    ("平均年龄下降岁。", [(6, "high")]),
    ("其中35岁以下的名、大专以上学历的名。", [(8, "high"), (17, "high")]),
    ("造成人死亡、人受伤。", [(2, "high"), (6, "high")]),
    ("由主办，和联合承办。", [(1, "medium"), (4, "high"), (5, "medium")]),
    ("派出医护人员批人次支援", [(6, "high"), (7, "high")]),
    ("授予“年度安全生产先进单位”称号", [(3, "high")]),
    ("重点实施了、城东污水处理厂提标改造", [(5, "high")]),
    ("双方将在、和等领域开展合作", [(4, "high"), (5, "high"), (6, "high")]),
    ("围绕个主题开展研讨", [(2, "high")]),
    ("全市个国控断面水质全部达标", [(2, "high")]),
    ("共获得金牌枚、银牌枚。", [(5, "high"), (9, "high")]),
    ("连续举办届，", [(4, "high")]),
    ("编印学习资料册。", [(6, "high")]),
    ("最大小时降雨量达毫米。", [(8, "high")]),
    ("PM2.5平均浓度降至微克/立方米。", [(11, "high")]),
    ("共清查办公设备台（件），", [(7, "high")]),
    ("新建塑胶运动场块，学生用计算机台。", [(7, "high"), (15, "high")]),
    ("发放宣传资料万份，", [(6, "high")]),
    ("防返贫监测对象户人全部落实", [(7, "high"), (8, "high")]),
    ("综合性应急救援队伍支人，", [(9, "high"), (10, "high")]),
    ("分别削减吨、吨。", [(4, "high"), (6, "high")]),
    ("其中既有等央企", [(4, "high")]),
    ("要深刻吸取“X·XX”事故教训", []),
    # ... and from the heldout_6 misses (the second blind set)
    ("全县已形成、、三大主导产业", [(5, "high"), (6, "high"), (7, "high")]),
    ("作了题为《》的工作报告", [(5, "high")]),
    ("在“”专项行动中", [(2, "high")]),
    ("XX分公司“·”事故", [(6, "high"), (7, "high")]),
    ("贯彻市委届次全会精神", [(4, "high"), (5, "high")]),
    ("县十八届人大次会议", [(6, "high")]),
    ("按期办结的只有份。", [(7, "high")]),
    ("通报曝光典型问题批起。", [(8, "high"), (9, "high")]),
    ("由住建局牵头，天内拿出整改方案", [(7, "high")]),
    ("小区号楼单元楼道灯", [(2, "high"), (4, "high")]),
    ("辖区面积平方公里，", [(4, "high")]),
    ("我们先后与、等多家央企签约", [(5, "high"), (6, "high")]),
    ("项目已于月开工建设", [(4, "high")]),
    ("分管副市长、同志要具体抓", [(5, "high"), (6, "high")]),
    ("在的大力支持下", [(1, "high")]),
    ("医院向捐赠医疗设备", [(3, "medium")]),
    ("常委会组成人员人出席会议", [(7, "high")]),
    ("每亩补贴标准为—元。", [(7, "high"), (8, "high")]),
    ("刚才，同志宣读了通知", [(3, "high")]),
    ("其中项被党委政府采纳", [(2, "high")]),
    ("床位将增加到张。", [(6, "high")]),
    ("平均办税时长压缩至分钟。", [(9, "high")]),
    ("平均住院日降至天。", [(7, "high")]),
    ("手术台次，", [(2, "high")]),
    ("出动车辆辆次、指战员人次", [(4, "high"), (10, "high")]),
    ("查处违法案件件，", [(6, "high")]),
    ("抓获犯罪嫌疑人名，", [(7, "high")]),
    ("新增“个转企”户，", [(7, "high")]),
    ("家禽出栏万羽。", [(4, "high")]),
    ("开发商资金链断裂停工个月，", [(10, "high")]),
    ("年龄最小的岁，最大的岁；", [(5, "high"), (10, "high")]),
    ("博士研究生人，", [(5, "high")]),
    ("先后经历了次强降雨过程", [(5, "high")]),
    ("所属家重要子企业", [(2, "high")]),
    ("分个阶段进行", [(1, "high")]),
    # ... and from the heldout_7 misses (the third blind set)
    ("对排名后位的村党支部书记", [(4, "high")]),
    ("，月底前实现全覆盖", [(1, "high")]),
    ("去年月，一家银行", [(2, "high")]),
    ("我们与、等高校共建", [(3, "high"), (4, "high")]),
    ("已有户完成现代终端建设", [(2, "high")]),
    ("计划年建成投用", [(2, "high")]),
    ("涉及教学科研的件、后勤保障的件。", [(7, "high"), (14, "high")]),
    ("年服务人次超过万，", [(7, "high")]),
    ("工作组已于日抵达", [(5, "high")]),
    ("较常年同期偏多成，", [(7, "high")]),
    ("组织干部小时值守", [(4, "high")]),
    ("造成户居民停水小时。", [(2, "high"), (7, "high")]),
    ("（办发〔〕号）", [(1, "high"), (4, "high"), (5, "high")]),
    ("按∶的比例分担", [(1, "high"), (2, "high")]),
    ("工作了整整年个月，", [(5, "high"), (6, "high")]),
    ("这年间，", [(1, "high")]),
    ("以为团长的代表团", [(1, "high")]),
    ("前季度，", [(1, "high")]),
    ("1—月，", [(2, "high")]),
    ("围绕、两大主导产业", [(2, "high"), (3, "high")]),
    ("带动配套企业余家集聚", [(6, "high")]),
    ("组建采样队伍支、余人", [(6, "high"), (8, "high")]),
    ("提起公诉人，", [(4, "high")]),
    ("发生森林火情起，", [(6, "high")]),
    ("水田亩、旱地亩", [(2, "high"), (6, "high")]),
    ("开通直航航线条。", [(6, "high")]),
    ("安装路灯盏。", [(4, "high")]),
    ("，人获得全国五一劳动奖章", [(1, "high")]),
    # round 8: a classifier checked against the head noun it counts, units never used bare,
    # years, months and days at a clause start, ages, %, ratio runs (my sentences, each rule once)
    ("全市名包保干部对家食品生产企业实现包保", [(2, "high"), (8, "high")]),
    ("为名烈士找到了亲属", [(1, "high")]),
    ("在全省家农商银行中排名第一", [(3, "high")]),
    ("为户家庭悬挂光荣牌", [(1, "high")]),
    ("修建了公里盘山路", [(3, "high")]),
    ("全年接待游客达万多人次", [(7, "high")]),
    ("推出项便民服务措施", [(2, "high")]),
    ("落地批集采药品", [(2, "high")]),
    ("查处起非法集资案件", [(2, "high")]),
    ("新修条乡村道路", [(2, "high")]),
    ("改造座危旧桥梁", [(2, "high")]),
    ("新建所乡镇卫生院", [(2, "high")]),
    ("投放辆新能源公交车", [(2, "high")]),
    ("全区仍剩个老旧小区待改造", [(4, "high")]),
    ("年，全县生产总值增长", [(0, "high")]),
    ("从年起，全市实行河长制", [(1, "high")]),
    ("月，全市召开动员大会", [(0, "high")]),
    ("今年至月，信访总量下降", [(2, "high"), (3, "high")]),
    ("上世纪年代，这里还是荒滩", [(3, "high")]),
    ("面向周岁以下的青年人才", [(2, "high")]),
    ("暂停其直接结算个月。", [(7, "high")]),
    ("迎接周年校庆", [(2, "high")]),
    ("粮食作物占比为%，", [(7, "high")]),
    ("日上午，全市召开会议", [(0, "high")]),
    ("会同、等部门开展检查", [(2, "high"), (3, "high")]),
    ("全市共有个集体受到表彰", [(4, "high")]),
    ("由上年的::调整为::。", [(4, "high"), (5, "high"), (6, "high"), (9, "high"), (10, "high"), (11, "high")]),
    ("营业收入突破亿元", [(6, "high")]),
    ("用电负荷先后次刷新纪录", [(6, "high")]),
    ("平均气温偏高℃", [(6, "high")]),
    ("深入基层调研天，走访群众", [(6, "high")]),
    ("同志刚才通报了全区情况", [(0, "high")]),
    ("新增变电容量万千伏安", [(6, "high")]),
    # round 9, from the misses of heldout_9 (spent)
    ("医护比达到1:。", [(7, "high")]),
    ("决定授予等个单位“先进集体”称号", [(4, "high"), (5, "high")]),
    ("对等家企业给予重点帮扶", [(1, "high"), (2, "high")]),
    ("已整改完成个，其余个正在持续整改", [(5, "high"), (9, "high")]),
    ("加装电梯部，新增停车位个", [(4, "high"), (11, "high")]),
    ("特等奖为价值元的品牌手机", [(6, "high")]),
    ("距国际机场仅公里，小时可达主要城市", [(6, "high"), (9, "high")]),
    ("据预测，月下旬至月上旬可能出现强降雨", [(4, "high"), (8, "high")]),
    ("被巡察党组织要在日内报送整改方案", [(8, "high")]),
    ("实现“连丰”", [(3, "high")]),
    ("县委第巡察组进驻", [(3, "high")]),
    ("位列全省第，较上年前移", [(5, "high")]),
    ("本学期安排在第周至第周", [(7, "high"), (10, "high")]),
    ("，人被追责问责", [(1, "high")]),
    ("，亩耕地撂荒", [(1, "high")]),
    ("立案处罚起，罚没款万元", [(4, "high"), (9, "high")]),
    ("会员总数突破万。", [(6, "high")]),
    ("民警在年月的一次抓捕行动中", [(3, "high"), (4, "high")]),
    ("XX区位于、等地交界处", [(5, "high"), (6, "high")]),
    ("开工建设、等重点水利工程", [(4, "high"), (5, "high")]),
    ("服务个科研团队", [(2, "high")]),
    ("献血量毫升", [(3, "high")]),
    # round 10, from the misses of heldout_10 (spent)
    ("开展适应性培训期、培训了很多学员", [(7, "high")]),
    ("为退役军人家庭修缮住房间，发放棉被床、新建充电桩根。", [(11, "high"), (17, "high"), (24, "high")]),
    ("守护好全市万群众的平安", [(5, "high")]),
    ("每位市领导联系至家企业", [(7, "high"), (8, "high")]),
    ("深入贯彻二十届中央纪委次全会精神", [(11, "high")]),
    ("全年共开展轮巡察", [(5, "high")]),
    ("较年初下降个基点，坚持支教个学期", [(5, "high"), (13, "high")]),
    ("推出康养度假、非遗体验等大主题线路", [(12, "high")]),
    ("前强企业贡献了大部分增量", [(1, "high")]),
    ("各校要在日前将开学工作情况报送", [(4, "high")]),
    ("下月日，我们还将联合举办解读会", [(2, "high")]),
    ("经济总量仍处于第方阵", [(8, "high")]),
    ("城乡居民收入比缩小至∶1", [(10, "high")]),
    ("全年查处酒驾醉驾起，移送公安机关起。", [(8, "high"), (16, "high")]),
    ("社区矫正对象在册人，全年新接收人", [(8, "high"), (15, "high")]),
    ("年上半年，*县有关部门", [(0, "high")]),
    # round 11, from the misses of heldout_11 (spent) and of the news corpus's deleted numbers
    ("学生早上点分到校，晚自习点结束", [(4, "high"), (5, "high"), (12, "high")]),
    ("市防指决定，自日时起启动防汛应急响应", [(7, "high"), (8, "high")]),
    ("确保城区分钟、农村分钟到达现场", [(4, "high"), (9, "high")]),
    ("目前水库水位米，超汛限水位米", [(6, "high"), (13, "high")]),
    ("冒着零下摄氏度的严寒坚守岗位", [(4, "high")]),
    ("市政府筹集资金多万元", [(7, "high")]),
    ("小微客户较上年多万户", [(8, "high")]),
    ("这是我校连续第年获此殊荣，成为集团旗下第家上市公司", [(7, "high"), (20, "high")]),
    ("在全省评价中排名第，比上年提升位", [(9, "high"), (15, "high")]),
    ("服务站从月起推出签约服务，计划月开工、明年月投入使用", [(4, "high"), (15, "high"), (21, "high")]),
    ("日至日我市将有一次强降雨", [(0, "high"), (2, "high")]),
    ("累计雨量至毫米，临时用工至人", [(4, "high"), (5, "high"), (12, "high"), (13, "high")]),
    ("平均缩短至分钟，提升至%", [(5, "high"), (11, "high")]),
    ("全市建成“妇女之家”个、“儿童之家”个", [(10, "high"), (18, "high")]),
    ("开展“青年大学习”期", [(9, "high")]),
    ("目前已签约户、人，组建抢修队伍支、人", [(5, "high"), (7, "high"), (15, "high"), (17, "high")]),
    ("目前号楼、号楼已完成意见征集", [(2, "high"), (5, "high")]),
    ("剩余部分按楼层系数分摊，层以上系数为。", [(12, "high"), (18, "high")]),
    ("新购置螺旋CT台、DR台，", [(7, "high"), (11, "high")]),
    ("去年收到表扬信封、锦旗面", [(7, "high"), (11, "high")]),
    ("发放个人创业担保贷款笔、万元", [(10, "high"), (12, "high")]),
    ("新建和改造千伏配电线路", [(5, "high")]),
    ("引进、等家种植大户，成功中标、等个重大项目", [(2, "high"), (3, "high"), (4, "high"), (14, "high"), (15, "high"), (16, "high")]),
    ("不到年的时间里，经过年的努力", [(2, "high"), (10, "high")]),
    ("每一笔超过元的开支都要经过审批", [(5, "high")]),
    ("现年岁的老党员讲述入党经历", [(2, "high")]),
    # round 12, from the misses of heldout_12 (spent)
    ("一、年工作回顾", [(2, "high")]),
    ("深化“+”园区运营模式改革", [(3, "high"), (4, "high")]),
    ("集团完成货物吞吐量亿吨，累计播放量亿次，阅读量达万+", [(9, "high"), (17, "high"), (24, "high")]),
    ("亲爱的级新同学们：大家好！", [(3, "high")]),
    ("学校创建于年，建校年来累计培养人才", [(5, "high"), (9, "high")]),
    ("按双向车道标准建设", [(3, "high")]),
    ("亩产达到斤，比普通农户高出斤，每斤比市场价高毛钱", [(4, "high"), (13, "high"), (22, "high")]),
    ("全省储备帐篷顶、折叠床张，植保无人机架，", [(6, "high"), (11, "high"), (18, "high")]),
    ("其中、、等个项目已开工建设", [(2, "high"), (3, "high"), (4, "high"), (5, "high")]),
    ("住院率异常的、、三家医院要限期整改", [(6, "high"), (7, "high"), (8, "high")]),
    ("先后赴、等地开展专题招商", [(3, "high"), (4, "high")]),
    ("监测合格率比年提高个百分点", [(6, "high"), (9, "high")]),
    ("通行时间将由小时缩短至分钟", [(6, "high"), (11, "high")]),
    ("确保年月全线建成通车", [(2, "high"), (3, "high")]),
    ("购置了收割机台、烘干机台", [(6, "high"), (11, "high")]),
    ("安全知识竞赛场。", [(6, "high")]),
    ("国家级代表性传承人名。", [(9, "high")]),
    ("共有个项目、名传承人参加", [(2, "high"), (6, "high")]),
    ("达全球个国家和地区的个港口", [(3, "high"), (10, "high")]),
]

# Texts with no gap: numbers present, or words that merely contain a unit.
NOT_GAPS = [
    # round 12 look-alikes
    "“互联网+”等竞赛", "“四+”工作模式", "服务人次同比增长", "建成亿吨大港", "一个亿吨级港口", "组包户、户包人",
    "施工单位已全部进场。", "资金扶持、项目带动等措施", "技术改造、新产品开发等", "大的、小的等各种", "审议通过、批准",
    # round 11: look-alikes of the round's rules, most of them met in complete news text
    "中央调集万余名官兵抗洪", "平均每万名职工拥有技术人员", "本报今日起至元宵节举行展览", "大至家电，小至针线",
    "莫高窟、长城等名胜古迹", "水果等支柱产业", "设计等项展览", "送温暖进万家", "这些年，我们坚持", "以这家企业为例，",
    "他是革命家，", "资产合计亿加元。", "傍晚时分，上午时分，凌晨时分，", "就业人员（万人）", "早点休息，航班晚点，",
    "他们等个人", "乃至毫米级的精度", "按国家标准为：", "信封、信纸", "这一笔，", "在过去的一年里", "近年来",
    "新增投资项目12个", "总投资额XX亿元", "超亿元授信", "百亿元级汽车电子工厂", "数十亿元", "增长3.5%",
    "提高两个百分点", "第三批", "次第展开", "甲、乙、丙等", "各个项目", "整个园区", "这个重点",
    "加强交流与合作，", "参与签订协议", "合同签订后", "同志们：", "的确如此", "个人所得税", "国家企业",
    "专家、学者", "上亿元投资", "近万人参加", "亿万人民", "N个重点产业项目", "及时解决",
    # classifiers that end an ordinary word, at a clause end
    "弘扬企业家精神，尊重企业家、服务企业家。", "优秀民营企业家。", "带动农户。", "引导商户，服务客户。",
    "项目顺利落户。", "建设全国统一大市场。", "召开现场会，到现场。", "审批事项，专项整治。", "贯彻文件，创造条件。",
    "依法查处。", "从严惩处。", "完善配套。", "开设讲座。", "考核等次。", "智能网联封闭测试场，", "公共场所。",
    "一批专家。", "把党的声音传到家。", "几十家。", "十余家，", "这项，", "每场。", "完成立项。", "报名。",
    "培育一批企业家。", "擦亮城市名片。", "对车辆，", "折合美元。", "多元，", "平方公里，",
    # 有个 and a classifier at a clause start that are ordinary
    "仍有个别问题", "有个问题", "，所获荣誉", "，个人已经", "，条件已经具备", "一个、两个、三个",
    "依托优势，包括等级", "引导、扶持等方式",
    # words that end in the new classifiers and units, counts written out, 从……起, 期间, 年月
    "把各项措施落到实处，", "落实到细处。", "让改革成果惠及千家万户。", "把党的声音传到千家万户，",
    "走在全省前列。", "推出一系列。", "搭建招商平台，", "政策尽快出台。", "登上舞台。", "新闻台，", "坚持主张。",
    "形势紧张，", "老张，", "财政收支。", "压减一般性开支，", "雕梁画栋。", "新冠病毒变异株，", "提高比例。",
    "典型案例。", "修订条例，", "核实身份，", "改制为股份。", "正宗。", "大宗，",
    "选好配强带头人。", "压实企业主要负责人，", "当好职工的娘家人。", "落实立德树人，", "关心青年人。", "明确帮扶人，",
    "法定代表人，", "项目参与人。", "保险受益人。", "对被留置人，", "美食达人。", "服务人民。", "干部人事制度",
    "就业人口。", "城镇新增就业1.2万人，", "引进博士30人，", "带动就业上千人。",
    "把积极性调动起来，", "发起，", "推动县域经济崛起。", "从小事做起。", "从娃娃抓起，", "自发现问题起，",
    "从受理案件起，", "查处违法案件12起，", "数十起。",
    "当前正处于重要战略机遇期。", "做好汛期，", "确保项目如期，", "长期。", "运动会举办期间，", "开展期末考试",
    "举办一期培训班", "在培训期，", "举办第三期培训班",
    "分批次，", "严格落实产品批次。", "增加抽检批次。", "门诊人次，", "提高服务人次。", "接待游客120万人次，", "按人次，",
    "连续年度亏损", "持续天晴，", "提前年底完成", "持续周期，", "连续多年", "提前3天完成",
    "在那个艰苦的年月，", "今年5月底前", "2023年5月12日召开", "5月日均客流", "由同志们讨论",
    "达成共识。", "实现元宇宙。", "问题很多个，", "还有许多个，", "整个社区", "每个行政村", "获批项目", "获得项目支持",
    "选派名单，", "创造条件，", "打造条形码", "出台条例", "加快了进度",
    # fourth round look-alikes
    "提高了多个百分点。", "一百多亿元", "安全国家重点实验室", "健全名单", "以扶贫为名义", "这个工作日", "为家乡",
    "组织名单", "全国家庭", "帮扶户家庭", "与签约企业保持常态化联系。", "与签约项目对接", "用时间换空间",
    "发挥带头。", "全县羊只，", "成倍增长", "倍感振奋", "到月底前完成", "本月底", "今天，", "每天。", "当天。",
    "审批事项。", "牵头、配合、监督", "各部门积极配合。",
    "今年已有若干个项目", "这是首个国家级平台", "全体人员名单", "到年底，", "到年初。", "近年来，", "过去一年里，",
    "在那个年月，", "这户人家。", "其余人员，", "业余时间", "剩余项目", "合理安排场次。", "增加演出场次，",
    "成立20周年，", "继2019年之后", "向大家表示感谢", "茶余饭后",
    "人事处、组织处、宣传处。", "公安部、财政部。", "今年是我县的项目建设年，", "温和等方式", "涉及等方面", "出生年月日",
    "折叠床，", "主体封顶。", "民主、和谐、文明", "及时、准确", "与联合国合作", "推动共同富裕", "每月日常检查",
    "下降到个位数", "书记同志们", "耐心和等待", "全县所有", "全市家庭", "全县个人所得税", "开了个好头", "迎接新年。",
    "度过了童年。", "连续多年，", "回顾过去一年，", "购买土地、与村合作开发", "不胜枚举", "主干道，", "手术台，",
    "科技资金、“三大改造”资金、土地", "资金、三大改造", "，户均增收", "还有人。", "日内瓦", "登上月球", "于月球",
    "党员、同志们", "在的确", "他说的对", "在日内", "我们的目标。", "长×宽×高",
    "在北交所、科创板上市", "检测试剂万人份，", "于日常工作中", "冬至日，", "近万，", "到年底", "这户人家。",
    "计划年底建成", "造成人员伤亡", "我的家，", "温暖的人。", "新年前夕，", "以为，", "完成，", "形成。",
    # round 8 look-alikes, many of them found on the news corpus (benchmarks/placeholder_corpus.py)
    "著名演员", "知名人士参加", "名单公布", "名列前茅", "国家企业技术中心", "专家委员会成员", "农家乐经营户", "石家庄市各医院", "张家口地区的医院", "电影家协会", "文明户评选",
    "拆迁户安置", "户籍人口", "开展专项工作", "审批事项清单", "项目建设", "首批企业", "批评和自我批评", "引起事故", "从今日起实施", "条件成熟", "讲座", "座谈会", "所有学校",
    "所在学校", "为危机所困扰", "平台企业", "台风灾害", "出台措施", "有个问题", "是个好办法", "换个角度看问题", "企业个数", "年初，全县", "年底，全县", "年内，全县", "年前，全县",
    "年度考核", "年均增长", "年来，我们", "年代久远", "辞旧岁，迎新春", "贺岁片", "新岁伊始", "岁月如歌", "每逢周年", "夏商周年代", "比重（%）", "日前，全县", "日益完善",
    "是、否", "损失了、失败了", "衣被、燃料等物资", "突破亿元大关", "超亿元项目", "近亿元", "先后顺序", "十来名干部", "若干名干部", "不少家工厂", "一项项措施", "一座座桥梁",
    "一辆辆汽车", "以色列、埃及等", "找条致富路",
    "上个星期天，", "锣鼓喧天，", "民以食为天。", "前些天，", "聊着天，", "同志们，", "同志们刚才",
    "万元GDP能耗下降", "带*号的指标为快报数", "确保个个项目都建成精品", "其他名目的费用", "其他家电行业", "第三军一大队",
    "法拉第、詹天佑", "已发生多起。", "对等原则", "在那个年月", "在日内瓦", "其余人员", "第一名，",
    "培训期内", "开展培训期间", "店面间", "时间，", "病床，", "扎根，", "全市万余名", "联系至今", "轮流", "前强后弱",
    "日前，市委", "于日前召开", "本月日报", "代表之家，", "职工之家",
]


@pytest.mark.parametrize("text,expected", MASKS)
def test_mask_found_with_category(text, expected):
    assert masks_in(text) == expected


def test_line_start_asterisk_before_a_line_number_is_a_mask():
    """*号线 opens a list of stations, not a bulleted heading (heldout_17)."""
    assert [text for text, _ in masks_in("*号线**站至**站")] == ["*", "**", "**"]


@pytest.mark.parametrize("text", NOT_MASKS)
def test_not_a_mask(text):
    assert masks_in(text) == []


@pytest.mark.parametrize("text,expected", GAPS)
def test_gap_found_at_offset(text, expected):
    assert gaps_in(text) == expected


@pytest.mark.parametrize("text", NOT_GAPS)
def test_not_a_gap(text):
    assert gaps_in(text) == []


def _shipped() -> dict:
    return tomllib.loads(resources.files("speechclean.rules").joinpath("placeholders.toml").read_text("utf-8"))


# An anchor may skip the places where a character before the classifier makes a word of
# `not_words` with it (`(?<![平出…]台)` skips 平台): the rule would reject those places
# anyway. The skip is copied data, so it must stay a subset of the words.
_SKIP = re.compile(r"\(\?<!\[([^\]]+)\](\[[^\]]+\]|[^\[\]()])\)")


@pytest.mark.parametrize("entry", [e for e in _shipped()["gap"] if _SKIP.search(str(e.get("anchor", "")))],
                         ids=lambda e: e["id"])
def test_anchor_skips_only_places_not_words_reject(entry):
    words = set(entry.get("not_words", ()))
    for before, classifier in _SKIP.findall(str(entry["anchor"])):
        for char in before:
            for unit in classifier.strip("[]"):
                assert char + unit in words, f"{entry['id']}: the anchor skips {char}{unit}, not a word of the rule"


@pytest.mark.parametrize("rule", [r for r in RULES.gaps if r.not_words is not None and r.at_chars is not None],
                         ids=lambda r: r.id)
def test_every_not_word_can_hold_the_rules_gap(rule):
    """A not_word hides a gap only strictly inside it, where the character after
    the cut is one the rule needs at its gap; a word with no such cut hides
    nothing and is dead data (round 11 first listed 提高 for a gap before 米)."""
    words = {left + right for cuts in rule.not_words.values() for left, right in cuts}
    for word in words:
        assert any(word[cut] in rule.at_chars for cut in range(1, len(word))), f"{rule.id}: {word} can never hold its gap"


@pytest.mark.parametrize("entry", _shipped()["mask"], ids=lambda e: e["id"])
def test_mask_rule_example_is_found_by_that_rule(entry):
    assert entry["id"] in {m.rule for m in find_masks(entry["example"], RULES)}


@pytest.mark.parametrize("entry", _shipped()["not_mask"], ids=lambda e: e["id"])
def test_not_mask_example_has_no_mask(entry):
    assert find_masks(entry["example"], RULES) == []


@pytest.mark.parametrize("entry", _shipped()["gap"], ids=lambda e: e["id"])
def test_gap_rule_example_is_found_by_that_rule(entry):
    assert entry["id"] in {g.rule for g in find_gaps(entry["example"], RULES)}


def test_rule_ids_are_unique():
    data = _shipped()
    ids = [e["id"] for kind in ("mask", "not_mask", "gap") for e in data[kind]]
    assert len(ids) == len(set(ids))


def test_disabled_rule_is_switched_off():
    rules = load_rules(frozenset({"mask.x_single"}))
    assert find_masks("国家级X家", rules) == []


def test_counted_noun_overrides_only_a_word_that_straddles_the_gap():
    """Without counted_nouns, 案件 hides the gap in 积案‸件; with them, 案件 alone is still no gap."""
    entry = {"id": "gap.t", "description": "", "example": "", "confidence": "high",
             "pattern": "(?<=[\\p{Han}])(?=件[，。])", "not_words": ["案件"]}
    plain = parse_rules({"gap": [entry]})
    counted = parse_rules({"gap": [dict(entry, counted_nouns=["积案"])]})
    assert find_gaps("化解积案件，", plain) == []
    assert [g.start for g in find_gaps("化解积案件，", counted)] == [4]
    assert find_gaps("依法办理案件，", counted) == []


def test_over_long_counted_noun_is_a_config_error():
    entry = {"id": "gap.t", "description": "", "example": "", "confidence": "high",
             "pattern": "(?=件)", "counted_nouns": ["一个很长很长的名词短语"]}
    with pytest.raises(ConfigError):
        parse_rules({"gap": [entry]})


def test_bad_confidence_is_a_config_error():
    data = _shipped()
    data["gap"] = [dict(data["gap"][0], confidence="sure")]
    with pytest.raises(ConfigError):
        parse_rules(data)


def test_keep_leaves_the_text_alone():
    text = "达XX家，新增投资项目个，同比增长**%。"
    assert mark_placeholders(text, RULES, "××")[0] == text


def test_unify_replaces_every_mask_and_records_the_original():
    text = "达XX家，同比增长**%，×区，某某同志"
    new, placed, counters, _ = mark_placeholders(text, RULES, "××", unify=True)
    assert new == "达××家，同比增长××%，××区，××同志"
    assert [p.original for p in placed] == ["XX", "**", "×", "某某"]
    assert all(new[p.start:p.end] == "××" for p in placed)
    assert counters["unified"] == 4


def test_unify_makes_one_token_of_touching_masks():
    new, placed, _, _ = mark_placeholders("由XX**负责", RULES, "××", unify=True)
    assert new == "由××负责" and placed[0].original == "XX**"


def test_fill_gaps_inserts_the_token_at_high_confidence_gaps_only():
    text = "新增投资项目个，市政府与签订协议，预计总投资额亿元。"
    new, placed, counters, _ = mark_placeholders(text, RULES, "[MASK]", fill_gaps=True)
    assert new == "新增投资项目[MASK]个，市政府与签订协议，预计总投资额[MASK]亿元。"
    filled = [p for p in placed if p.original == ""]
    assert [new[p.start:p.end] for p in filled] == ["[MASK]", "[MASK]"]
    assert counters["gaps_filled"] == 2
    medium = next(p for p in placed if p.confidence == "medium")
    assert new[medium.start - 1:medium.start + 2] == "与签订"


def test_density_is_counted_and_a_text_of_masks_warned():
    _, _, counters, warnings = mark_placeholders("XXX、XXX、XXX、XXXX同志", RULES, "××")
    assert counters["masks"] == 4 and counters["per_1000_chars"] > 200
    assert warnings and "mostly masks" in warnings[0]
    _, _, _, warnings = mark_placeholders("全年实现工业总产值XX亿元，同比增长5%。", RULES, "××")
    assert warnings == []


def test_cli_options_reach_the_stage():
    result = clean_text("同志们：\n达XX家，新增投资项目个。\n", Config(masks="unify", fill_gaps=True))
    assert "达××家，新增投资项目××个。" in result.text
    item = next(p for p in result.sidecar["placeholders"] if p["kind"] == "mask")
    assert item["original"] == "XX" and result.text[item["start"]:item["end"]] == "××"


# ---------------------------------------------------------------- properties

_PIECES = st.sampled_from([
    "XX", "XXX", "**", "***", "×", "x", "某某", "○○", "□□", "____", "[单位名称]",
    "亿元", "%", "个", "家", "、", "，", "。", "等", "的", "第", "批", "与签订", "项目",
    "企业", "同比增长", "新增", "X光", "2+5+N", "二〇二三年", "5x", "\n", "同志", "总投资额",
])
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)
_TOKENS = st.sampled_from(["××", "[MASK]", "＿＿", "□"])


@settings(max_examples=150, deadline=None)
@given(_TEXTS, _TOKENS, st.booleans(), st.booleans())
def test_offsets_point_into_the_text_as_written(text, token, unify, fill):
    new, placed, _, _ = mark_placeholders(text, RULES, token, unify=unify, fill_gaps=fill)
    for p in placed:
        assert 0 <= p.start <= p.end <= len(new)
        assert new[p.start:p.end] == p.text


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_keep_mode_changes_nothing_and_masks_stay(text):
    new, placed, _, _ = mark_placeholders(text, RULES, "××", fill_gaps=False)
    assert new == text
    assert all(text[p.start:p.end] == p.text for p in placed)


@settings(max_examples=150, deadline=None)
@given(_TEXTS, _TOKENS)
# found by CI: the head noun eight characters after 个 is out of reach behind
# nine X and within reach behind ××, so a second run found one more gap
@example("亿元个XXXXXXXXX项目", "××")
def test_unify_and_fill_record_originals_and_are_idempotent(text, token):
    new, placed, _, _ = mark_placeholders(text, RULES, token, unify=True, fill_gaps=True)
    rebuilt = new
    for p in sorted(placed, key=lambda p: p.start, reverse=True):
        if p.original is not None:
            rebuilt = rebuilt[:p.start] + p.original + rebuilt[p.end:]
    assert rebuilt == text
    again, _, _, _ = mark_placeholders(new, RULES, token, unify=True, fill_gaps=True)
    assert again == new
