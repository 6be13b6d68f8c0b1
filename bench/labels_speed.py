"""Label rendering speed: complete labels with Chinese titles into A4 sheet PDFs.

Runs in a child process so its peak memory (ru_maxrss) is the rendering's own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from labels.content import LabelContent
from labels.sheets import write_sheets

TITLES = [
    "2002年全县农业普查汇总表",
    "2005年第一次全国经济普查县级汇总资料（第三册）",
    "城镇住户调查记账资料",
    "2008年农村住户调查样本名单及抽样框说明",
]
MARKINGS = [("机密★ 30年", True), ("秘密★ 10年", True), ("内部", False), ("绝密★ 长期", True)]


def batch(count: int):
    for i in range(count):
        marking, classified = MARKINGS[i % len(MARKINGS)]
        yield LabelContent(
            f"WC-TJ-{2000 + i % 20}-{i:05d}",
            TITLES[i % len(TITLES)],
            marking,
            classified,
            "A-03-02",
        )


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        written = write_sheets(batch(count), Path(folder) / "labels.pdf")
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"labels": written, "seconds": seconds, "peak_mb": peak_mb}


def run(counts: tuple[int, ...] = (1000, 4000)) -> list[tuple[str, str]]:
    rows = []
    for count in counts:
        out = subprocess.run(
            [sys.executable, "-m", "bench.labels_speed", str(count)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out)
        rate = result["labels"] / result["seconds"]
        rows.append((f"labels/s, batch of {count}", f"{rate:.0f}"))
        rows.append((f"labels peak memory (MB), batch of {count}", f"{result['peak_mb']:.0f}"))
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(measure(int(sys.argv[1]))))
    else:
        for name, value in run():
            print(f"{name:44} {value}")
