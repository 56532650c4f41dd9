"""Page furniture in a wrapped dump goes to the rejoiner, not the chrome classifier.

The classifier once took `第 1 页 共 7 页` and `- 1 -` for link bars and
removed them before the rejoiner saw them; the running title beside each page
number then no longer looked like furniture and was kept as body text.
"""

from speechclean import clean_text

# Wrapped at 20 characters, the first line that reads as prose (15+ Han
# characters ending a sentence) comes after the first page break, so that
# break stands where the classifier judges lines by their shape alone.
PARAGRAPHS = [
    "现在我代表县人民政府向大会报告工作请予审议并请县政协委员和其他列席人员提出意见过去一年面对复杂严峻的外部环",
    "我们在县委的坚强领导下团结带领全县人民坚持稳中求进工作总基调较好完成了全年任务。",
    "全县地区生产总值完成二百四十五亿元同比增长百分之六点二城乡居民收入稳步增长民生福祉持续改善。",
]
WIDTH = 20


def _wrapped_with_pages(page_number) -> str:
    lines = []
    for paragraph in PARAGRAPHS:
        pieces = [paragraph[i:i + WIDTH] for i in range(0, len(paragraph), WIDTH)]
        lines += ["  " + pieces[0]] + pieces[1:]
    out = ["2024年政府工作报告", "各位代表："]
    for index, line in enumerate(lines, 1):
        out.append(line)
        if index % 3 == 0 and index < len(lines):
            out += [page_number(index // 3), "2024年政府工作报告"]
    return "\n".join(out) + "\n"


def _check(page_number, rule):
    result = clean_text(_wrapped_with_pages(page_number))
    body = result.text.split("\n", 2)[2]
    assert body == "各位代表：\n" + "".join(p + "\n" for p in PARAGRAPHS)
    rules = {item["rule"] for item in result.sidecar["removed"]}
    assert rule in rules and "page.running_title" in rules
    assert not any(r.startswith("classify.") for r in rules)


def test_page_of_total_and_running_title_are_removed_together():
    _check(lambda n: f"第 {n} 页 共 4 页", "page.of_total")


def test_dashed_page_numbers_and_running_title_are_removed_together():
    _check(lambda n: f"- {n} -", "page.dashed")
