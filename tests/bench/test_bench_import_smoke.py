"""The import benchmark at tiny scale: it imports each of its three files end to end (the rows
land in the database) and undoes each import, and its large-file part reports each case from a process of its own."""

from __future__ import annotations

import re

from scripts import bench_import


def test_each_file_kind_is_imported_and_the_budget_line_is_printed(capsys):
    bench_import.main(["--rows", "1000"])
    out = capsys.readouterr().out
    for name in ("出勤.csv", "出勤.xlsx", "出勤-行内文本.xlsx"):
        [line] = [line for line in out.splitlines() if line.strip().startswith(name)]
        # the rows written, and the time to undo the import again (which removes them: the
        # benchmark stops if any is left)
        assert re.search(r"（写入 1,000 行；撤销本次导入 [\d.]+ s）$", line)
    assert re.search(r"最慢合计 [\d.]+ s（墙钟），预算 10 s：达标", out)


def test_the_large_files_are_measured_refused_and_accepted(capsys):
    bench_import.main(["--large", "--megabytes", "0.05"])
    out = capsys.readouterr().out
    assert "CSV，每行出现两次（拒绝）：" in out and "CSV，每行一次（导入并提交）：" in out
    refused = re.findall(r"(\d[\d,]*) 行，(\d[\d,]*) 处问题（页面显示 (\d+) 条）", out)
    # Pasted twice: half the rows repeat a key, and the page says so in one line.
    twice = [(rows, n, lines) for rows, n, lines in refused if n != "0"]
    assert len(twice) == 2
    for rows, n, lines in twice:
        assert int(rows.replace(",", "")) == 2 * int(n.replace(",", "")) and lines == "1"
    assert len(re.findall(r"内存峰值 [\d,]+ MB", out)) == 3
