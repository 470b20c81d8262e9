"""The profiler's aggregate statistics as MXNet 1.9.1's ``dumps()`` lays them out: a table per
category (``operator``, each domain ...) or the same numbers as JSON."""
from __future__ import annotations

import json

_TIMES = ("Time (ms)", "Min Time (ms)", "Max Time (ms)", "Avg Time (ms)")
_HEADER = f"{'Name':<30}{'Total Count':>11}" + "".join(f"{h:>17}" for h in _TIMES)
_RULE = f"{'----':<30}{'-' * 11:>11}" + "".join(f"{'-' * len(h):>17}" for h in _TIMES)
_SORT_COLUMN = {"count": 0, "total": 1, "min": 2, "max": 3, "avg": 4}


def _rows(rows: dict, sort_by: str, ascending: bool) -> list:
    """``(name, count, total, min, max, avg)`` per name (times in ms), sorted by ``sort_by``."""
    table = [(name, count, total, low, high, total / count)
             for name, (count, total, low, high) in rows.items()]
    column = _SORT_COLUMN[sort_by] + 1
    return sorted(table, key=lambda row: row[column], reverse=not ascending)


def aggregate_table(stats: dict, sort_by: str, ascending: bool) -> str:
    """``stats`` (category -> name -> [count, total, min, max]) as MXNet's text table."""
    text = "\nProfile Statistics:\n\tNote the difference in units for different entries.\n"
    for category in sorted(stats):
        text += f"{category}\n=================\n{_HEADER}\n{_RULE}\n"
        for name, count, *times in _rows(stats[category], sort_by, ascending):
            text += f"{name:<25}{count:>16}" + "".join(f"{t:>17.4f}" for t in times) + "\n"
        text += "\n"
    return text


def aggregate_json(stats: dict, sort_by: str, ascending: bool) -> str:
    """``stats`` as MXNet's JSON form: ``{"Time": {category: {name: {"Count", "Total", "Min",
    "Max", "Avg"}}}, "Memory": {}, "Unit": {...}}`` (mxnp records no memory use)."""
    times = {category: {name: {"Count": count, "Total": round(total, 4), "Min": round(low, 4),
                               "Max": round(high, 4), "Avg": round(avg, 4)}
                        for name, count, total, low, high, avg in
                        _rows(stats[category], sort_by, ascending)}
             for category in sorted(stats)}
    return json.dumps({"Time": times, "Memory": {}, "Unit": {"Time": "ms", "Memory": "kB"}},
                      indent=4)
