"""Markdown rendering benchmark: texts built to make Python-Markdown's link search quadratic (many "["
never closed, deeply nested brackets, link addresses never closed) against a realistic text of the
same size, each rendered with and without ``lms.markdown``'s guard (``_escape_costly_brackets``), in
one run (the machines are noisy: compare the ratios, not the times).

    .venv/bin/python benchmarks/markdown_bench.py [--kb 16] [--samples 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.lesson_bench import long_text  # noqa: E402
from lms import markdown as md  # noqa: E402


def texts(kb: int) -> dict[str, str]:
    size = kb * 1024
    return {
        "realistic lesson": long_text(kb),
        'unclosed "["': ("[" * size),
        "nested brackets": "[a" * (size // 4) + "]" * (size // 4),
        "unclosed addresses": "[a](" * (size // 4),
    }


def render(text: str, guarded: bool) -> float:
    source = md._escape_costly_brackets(text) if guarded else text
    start = time.perf_counter()
    md.sanitise_html(md._markdown.markdown(source, extensions=md.EXTENSIONS, output_format="html"))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=16)
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()
    cases = texts(args.kb)
    base = statistics.median(render(cases["realistic lesson"], True) for _ in range(args.samples))
    print(f"{args.kb} KB texts, median of {args.samples}; ratio: time / lesson ({base * 1000:.1f} ms)")
    print(f"{'text':<20} {'guarded ms':>11} {'ratio':>7} {'unguarded ms':>13} {'ratio':>7}")
    for name, text in cases.items():
        guarded = statistics.median(render(text, True) for _ in range(args.samples))
        unguarded = statistics.median(render(text, False) for _ in range(args.samples))
        print(
            f"{name:<20} {guarded * 1000:>11.1f} {guarded / base:>7.2f} {unguarded * 1000:>13.1f} "
            f"{unguarded / base:>7.2f}"
        )


if __name__ == "__main__":
    main()
