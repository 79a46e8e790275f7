"""Summaries of cross-validation folds: mean and spread of F over folds, and counts pooled over
every held-out document, per label; the relation threshold curve; a printable table."""

from statistics import mean, pstdev
from typing import Any, Dict, List, Optional, Sequence

from .metrics import prf

Scores = Dict[str, Dict[str, float]]


def _label_summary(per_fold: Sequence[Scores]) -> Dict[str, Dict[str, float]]:
    """For each label: mean P/R/F over folds, the spread of F (std, min, max), pooled P/R/F."""
    out = {}
    for label in per_fold[0]:
        rows = [f[label] for f in per_fold]
        fs = [r["f"] for r in rows]
        pooled = prf(*(sum(r[k] for r in rows) for k in ("tp", "fp", "fn")))
        out[label] = {
            "p": round(mean(r["p"] for r in rows), 4),
            "r": round(mean(r["r"] for r in rows), 4),
            "f": round(mean(fs), 4),
            "f_std": round(pstdev(fs), 4),
            "f_min": min(fs),
            "f_max": max(fs),
            "pooled": pooled,
        }
    return out


def summarize(results: Sequence[Dict[str, Any]], threshold: Optional[float] = None) -> Dict[str, Any]:
    """What the folds say together (see the module docstring); relation rows at `threshold`
    (default: the one the folds' pipelines were trained with). The shift split, if it ran, is
    reported on its own (summary["shift"]), never pooled with the folds."""
    shift = [r for r in results if r.get("fold") == "shift"]
    results = [r for r in results if r.get("fold") != "shift"]
    summary: Dict[str, Any] = {
        "folds": len(results),
        "documents": sum(len(r["documents"]) for r in results),
        "entities": _label_summary([r["entities"] for r in results]),
    }
    if not all("threshold" in r for r in results):
        return summary
    threshold = results[0]["threshold"] if threshold is None else threshold
    for setting in ("end_to_end", "gold_entities"):
        summary[f"relations_{setting}"] = _label_summary([r[f"relations_{setting}"][str(threshold)] for r in results])
    summary["threshold"] = threshold
    summary["end_to_end_by_threshold"] = _pooled_curve(results)
    summary["threshold_from_other_folds"] = _nested_threshold(results)
    summary["reachable"] = [sum(r["reachable"][0] for r in results), sum(r["reachable"][1] for r in results)]
    summary["baselines"] = {
        name: _label_summary([r["baselines"][name] for r in results])["micro"] for name in results[0]["baselines"]
    }
    if all("breakdown" in r for r in results):
        summary["breakdown"] = pooled_breakdown(results)
    if shift:
        summary["shift"] = {
            "documents": shift[0]["documents"],
            "entities": shift[0]["entities"],
            "breakdown": shift[0].get("breakdown", {}),
        }
    return summary


def pooled_breakdown(results: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Relation rows (type, head label, distance bucket) of the model and the rule, counts pooled
    over the folds (a bucket holds too few relations per fold for a mean)."""
    first = results[0]["breakdown"]
    return {
        setting: {
            who: {
                row: prf(*(sum(r["breakdown"][setting][who][row][k] for r in results) for k in ("tp", "fp", "fn")))
                for row in rows
            }
            for who, rows in by_who.items()
        }
        for setting, by_who in first.items()
    }


def _pooled_curve(results: Sequence[Dict[str, Any]]) -> Dict[str, float]:
    """Pooled end-to-end relation F at each threshold of the grid."""
    return {
        t: _label_summary([r["relations_end_to_end"][t] for r in results])["micro"]["pooled"]["f"]
        for t in results[0]["relations_end_to_end"]
    }


def _nested_threshold(results: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """End-to-end relation scores when each fold's threshold is the best pooled one of the
    other folds: a threshold choice never made on the fold it is scored on."""
    chosen = []
    for i in range(len(results)):
        curve = _pooled_curve([r for j, r in enumerate(results) if j != i])
        chosen.append(max(curve, key=lambda t: (curve[t], -abs(float(t) - 0.5))))
    micro = _label_summary([r["relations_end_to_end"][t] for r, t in zip(results, chosen)])["micro"]
    return {"thresholds": [float(t) for t in chosen], "micro": micro}


def _row(name: str, s: Dict[str, Any]) -> str:
    pooled = s["pooled"]
    return (
        f"{name:<32}{s['p']:>7.3f}{s['r']:>7.3f}{s['f']:>7.3f} ±{s['f_std']:.3f} [{s['f_min']:.3f}–{s['f_max']:.3f}]"
        f"{pooled['f']:>8.3f}{pooled['tp'] + pooled['fn']:>7}"
    )


def format_summary(summary: Dict[str, Any]) -> str:
    """The summary as a table: mean P / R / F over folds, F's spread, pooled F and gold count."""
    lines: List[str] = [
        f"{summary['folds']} folds by document over {summary['documents']} documents",
        f"{'':<32}{'P':>7}{'R':>7}{'F':>7}  std   [min–max]    pooled F   gold",
    ]
    lines += [_row(f"entities {label}", s) for label, s in summary["entities"].items()]
    for setting in ("end_to_end", "gold_entities"):
        for label, s in summary.get(f"relations_{setting}", {}).items():
            lines.append(_row(f"relations {setting.replace('_', ' ')} {label}", s))
    for name, s in summary.get("baselines", {}).items():
        lines.append(_row(f"baseline {name.replace('_', ' ')}", s))
    if "end_to_end_by_threshold" in summary:
        curve = summary["end_to_end_by_threshold"]
        best = max(curve, key=curve.get)
        ok, total = summary["reachable"]
        lines.append(
            f"relation threshold {summary['threshold']}; pooled end-to-end F is best at {best} ({curve[best]:.3f})"
        )
        nested = summary["threshold_from_other_folds"]
        lines.append(_row("relations e2e, threshold of others", nested["micro"]) + f"  at {nested['thresholds']}")
        lines.append(
            f"both spans of {ok} of {total} gold relations were predicted (end-to-end recall ceiling {ok / max(total, 1):.3f})"
        )
    if "breakdown" in summary:
        lines += ["", "Relations by type, head label and head-tail distance (counts pooled over the folds):"]
        lines += format_breakdown(summary["breakdown"])
    if "shift" in summary:
        shift = summary["shift"]
        lines += [
            "",
            f"Shift split: trained on the documents with the shortest relations, tested on {len(shift['documents'])} others:",
        ]
        e = shift["entities"]["micro"]
        lines.append(f"{'entities micro (shift)':<32}{e['p']:>7.3f}{e['r']:>7.3f}{e['f']:>7.3f}")
        lines += format_breakdown(shift["breakdown"])
    return "\n".join(lines)


def format_breakdown(breakdown: Dict[str, Any]) -> List[str]:
    """Model beside rule, P / R / F per row; a row where the model's F is below the rule's is marked."""
    lines = [f"{'':<34}{'model P':>8}{'R':>7}{'F':>7}{'rule P':>9}{'R':>7}{'F':>7}{'gold':>6}"]
    for setting, by_who in breakdown.items():
        model, rule = by_who["model"], by_who["rule"]
        for row, m in model.items():
            r = rule[row]
            mark = "  < rule" if m["f"] < r["f"] else ""
            lines.append(
                f"{setting.replace('_', ' ') + ' ' + row:<34}{m['p']:>8.3f}{m['r']:>7.3f}{m['f']:>7.3f}"
                f"{r['p']:>9.3f}{r['r']:>7.3f}{r['f']:>7.3f}{m['tp'] + m['fn']:>6}{mark}"
            )
    return lines


SEED_COLUMNS = (
    ("entities", ("entities", "micro")),
    ("ORG", ("entities", "ORG")),
    ("INITIATIVE", ("entities", "INITIATIVE")),
    ("OUTCOME", ("entities", "OUTCOME")),
    ("rel e2e nested", ("threshold_from_other_folds", "micro")),
    ("rel e2e", ("relations_end_to_end", "micro")),
    ("rel gold", ("relations_gold_entities", "micro")),
)


def summarize_seeds(summaries: Dict[int, Dict[str, Any]]) -> Dict[str, Any]:
    """Mean-over-folds F of each training seed's cross-validation, and their mean and spread over
    seeds: how much of a difference between two configurations the seed alone makes."""
    per_seed = {
        seed: {name: f for name, path in SEED_COLUMNS if (f := _get(s, path)) is not None}
        for seed, s in summaries.items()
    }
    names = [n for n, _ in SEED_COLUMNS if all(n in row for row in per_seed.values())]
    over = {
        n: {
            "mean": round(mean(row[n] for row in per_seed.values()), 4),
            "std": round(pstdev([row[n] for row in per_seed.values()]), 4),
            "min": min(row[n] for row in per_seed.values()),
            "max": max(row[n] for row in per_seed.values()),
        }
        for n in names
    }
    out = {"seeds": per_seed, "over_seeds": over}
    for part in ("breakdown", "shift"):
        tables = [
            (s.get("shift") or {}).get("breakdown") if part == "shift" else s.get("breakdown")
            for s in summaries.values()
        ]
        if tables and all(tables):
            out[part] = _mean_breakdown(tables)
    return out


def _mean_breakdown(tables: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Mean and spread over seeds of each breakdown row's F, for the model and the rule."""
    return {
        setting: {
            who: {
                row: {"mean": round(mean(fs), 4), "std": round(pstdev(fs), 4)}
                for row in rows
                for fs in [[t[setting][who][row]["f"] for t in tables]]
            }
            for who, rows in by_who.items()
        }
        for setting, by_who in tables[0].items()
    }


def _get(summary: Dict[str, Any], path: Sequence[str]) -> Optional[float]:
    node: Any = summary
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node.get("f")


def format_seeds(table: Dict[str, Any]) -> str:
    """One row per seed (mean F over folds), then the mean ± std and range over seeds."""
    names = list(table["over_seeds"])
    lines = ["seed    " + "".join(f"{n:>16}" for n in names)]
    for seed, row in table["seeds"].items():
        lines.append(f"{seed:<8}" + "".join(f"{row[n]:>16.3f}" for n in names))
    over = table["over_seeds"]
    lines.append("mean    " + "".join(f"{over[n]['mean']:>9.3f} ±{over[n]['std']:.3f}" for n in names))
    lines.append("range   " + "".join(f"{over[n]['min']:>9.3f}–{over[n]['max']:.3f}" for n in names))
    for part, title in (("breakdown", "the folds, pooled"), ("shift", "the shift split")):
        if part in table:
            lines += ["", f"Relations by type, head label and distance, {title}: mean F ± std over seeds"]
            lines += _format_mean_breakdown(table[part])
    return "\n".join(lines)


def _format_mean_breakdown(breakdown: Dict[str, Any]) -> List[str]:
    lines = [f"{'':<34}{'model F':>16}{'rule F':>16}"]
    for setting, by_who in breakdown.items():
        for row, m in by_who["model"].items():
            r = by_who["rule"][row]
            mark = "  < rule" if m["mean"] < r["mean"] else ""
            lines.append(
                f"{setting.replace('_', ' ') + ' ' + row:<34}{m['mean']:>9.3f} ±{m['std']:.3f}{r['mean']:>9.3f} ±{r['std']:.3f}{mark}"
            )
    return lines
