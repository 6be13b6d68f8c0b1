"""Label rendering speed: complete labels with Chinese titles into A4 sheet PDFs.

Each measurement runs in a child process so its peak memory (ru_maxrss) is the rendering's
own; the 1,000 and 10,000 label batches together show whether memory grows with the batch.

The reference is python-barcode's own ImageWriter rendering the bare barcodes of the same
folders (the data each label's symbol carries, as many as the largest label batch, so both
sides spread their start-up cost alike): what drawing labels would cost with the library's
writer, before any title, banner or PDF. It uses the writer's default options, which the
table states as read from the library: an RGB image at 300 dpi, 0.2 mm modules 15 mm tall,
6.5 mm quiet zones and the human-readable line in 10 pt under the bars. render() returns the
Pillow image without encoding or saving it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from labels.content import LabelContent
from labels.sheets import write_sheets

PLACES = ["全县", "城关镇", "东河乡", "西岭乡", "南湖街道", "北山林场", "县统计局", "第三中学"]
SUBJECTS = [
    "农业普查",
    "第一次全国经济普查",
    "人口抽样调查",
    "城镇住户调查",
    "工业企业统计",
    "GDP核算",
    "R&D经费投入统计",
    "劳动工资统计",
]
KINDS = ["汇总表", "原始登记表", "抽样框说明", "审核验收记录", "数据质量抽查报告", "记账资料"]
MARKINGS = [("机密★ 30年", True), ("秘密★ 10年", True), ("内部", False), ("绝密★ 长期", True)]


def title(i: int) -> str:
    """A distinct, realistic title per folder: year, place, survey, kind, sometimes a volume."""
    year = 1985 + i % 38
    place, subject = PLACES[i // 7 % len(PLACES)], SUBJECTS[i // 3 % len(SUBJECTS)]
    volume = f"（第{i % 12 + 1}册）" if i % 4 == 0 else ""
    return f"{year}年{place}{subject}{KINDS[i % len(KINDS)]}{volume}"


def code(i: int) -> str:
    return f"WC-TJ-{2000 + i % 20}-{i % 10000:04d}"


def batch(count: int) -> Iterator[LabelContent]:
    for i in range(count):
        marking, classified = MARKINGS[i % len(MARKINGS)]
        generation = 1 + i % 3
        yield LabelContent(
            code(i),
            title(i),
            marking,
            classified,
            f"A-{i % 40:02d}-{i % 7:02d}",
            barcode=f"{code(i)}+{generation}",
            generation=generation,
        )


def measure(count: int) -> dict:
    """Write count labels into a sheet PDF; time, peak memory and file size."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "labels.pdf"
        started = time.perf_counter()
        written = write_sheets(batch(count), pdf)
        seconds = time.perf_counter() - started
        size = pdf.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"labels": written, "seconds": seconds, "peak_mb": peak_mb, "bytes": size}


def reference(count: int) -> dict:
    """python-barcode's ImageWriter, default options, rendering the barcodes of batch(count)."""
    import barcode
    from barcode.writer import ImageWriter

    codes = [label.barcode_data for label in batch(count)]
    started = time.perf_counter()
    for data in codes:
        barcode.get("code128", data, writer=ImageWriter()).render()
    seconds = time.perf_counter() - started
    return {"labels": count, "seconds": seconds, "options": _writer_options()}


def _writer_options() -> str:
    """The options the reference ran with, read from the library rather than restated."""
    import barcode
    from barcode.writer import ImageWriter

    writer, options = ImageWriter(), barcode.get_barcode_class("code128").default_writer_options
    return (
        f"{writer.mode}, {writer.dpi} dpi, module {options['module_width']} x "
        f"{options['module_height']} mm, quiet zone {options['quiet_zone']} mm, "
        f"text {options['font_size']} pt: {'on' if options['write_text'] else 'off'}"
    )


def _child(kind: str, count: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.labels_speed", kind, str(count)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def run(counts: tuple[int, ...] = (1000, 10000)) -> list[tuple[str, str]]:
    rows = []
    per_label_ms = 0.0
    for count in counts:
        result = _child("labels", count)
        per_label_ms = 1000 * result["seconds"] / result["labels"]
        rows.append((f"labels/s, batch of {count}", f"{result['labels'] / result['seconds']:.0f}"))
        rows.append((f"labels peak memory (MB), batch of {count}", f"{result['peak_mb']:.0f}"))
        rows.append(
            (f"labels PDF kB per label, batch of {count}", f"{result['bytes'] / count / 1000:.1f}")
        )
    ref = _child("reference", max(counts))
    ref_ms = 1000 * ref["seconds"] / ref["labels"]
    rows.append(("ms per complete label (largest batch)", f"{per_label_ms:.3f}"))
    rows.append(
        (f"ms per bare barcode, python-barcode ImageWriter ({ref['labels']})", f"{ref_ms:.3f}")
    )
    rows.append(("ImageWriter options (library defaults)", ref["options"]))
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 2:
        kinds = {"labels": measure, "reference": reference}
        print(json.dumps(kinds[sys.argv[1]](int(sys.argv[2]))))
    else:
        for name, value in run():
            print(f"{name:58} {value}")
