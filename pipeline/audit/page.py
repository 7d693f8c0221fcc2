"""The audit page's HTML: overview, documents grouped problems first, each document's notes and flags
with their evidence, the rules, and the reviews. Every text from a document or a CSV is escaped."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

import regex as re

from pipeline.audit.assets import CSP, SCRIPT, STYLE
from pipeline.audit.crops import Crop
from pipeline.audit.data import REVIEW_DECISIONS, AuditData, RunInfo
from pipeline.audit.text import Excerpt

MAX_INPUTS_SHOWN = 20


def e(text: object) -> str:
    """Text as HTML text (quotes too, so it is safe in attributes)."""
    return html.escape(str(text if text is not None else ""), quote=True)


class Group(IntEnum):
    """Where a document stands in the summary: problems first."""

    ERRORS = 0
    WARNINGS = 1
    PARTIAL = 2  # partial or failed
    NOTES = 3  # document warnings from reading, no serious flag
    INFO = 4
    CLEAN = 5


GROUP_TITLES = {Group.ERRORS: "With errors", Group.WARNINGS: "With warnings",
                Group.PARTIAL: "Partial or failed", Group.NOTES: "With reading warnings",
                Group.INFO: "With information flags only", Group.CLEAN: "Clean"}
GROUP_IDS = {Group.ERRORS: "errors", Group.WARNINGS: "warnings", Group.PARTIAL: "partial",
             Group.NOTES: "notes", Group.INFO: "info", Group.CLEAN: "clean"}


@dataclass
class Anchors:
    """Unique, safe element ids for names that come from data (flag ids, doc ids, rule ids)."""

    used: set[str] = field(default_factory=set)
    given: dict[tuple[str, str], str] = field(default_factory=dict)

    def __call__(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self.given:
            base = f"{kind}-" + (re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80] or "x")
            anchor, n = base, 1
            while anchor in self.used:
                n += 1
                anchor = f"{base}-{n}"
            self.used.add(anchor)
            self.given[key] = anchor
        return self.given[key]


@dataclass
class DocView:
    """One distinct document as the page lists it."""

    row: dict[str, str]
    flags: list[dict[str, str]]
    copies: list[str]  # sources of duplicates of it
    counts: Counter
    group: Group

    @property
    def name(self) -> str:
        return file_name(self.row.get("source", ""))


def file_name(source: str) -> str:
    """The last part of a source path or archive member."""
    return re.split(r"[/\\!]", source)[-1] or source


def warnings_of(row: dict[str, str]) -> list[str]:
    """A document's warnings, one note each, worded as in documents.csv."""
    return [w.strip() for w in (row.get("warnings") or "").split("; ") if w.strip()]


def doc_views(data: AuditData) -> list[DocView]:
    """The distinct documents (duplicates folded into the first copy), in input order."""
    views: list[DocView] = []
    by_id: dict[str, DocView] = {}
    for row in data.documents:
        doc_id = row.get("doc_id", "")
        if doc_id and doc_id in by_id:
            by_id[doc_id].copies.append(row.get("source", ""))
            continue
        flags = data.flags_by_doc.get(doc_id, []) if doc_id else []
        counts = Counter(f.get("severity", "") for f in flags)
        if counts["error"]:
            group = Group.ERRORS
        elif counts["warning"]:
            group = Group.WARNINGS
        elif row.get("status") in ("partial", "failed"):
            group = Group.PARTIAL
        elif warnings_of(row):
            group = Group.NOTES
        elif flags:
            group = Group.INFO
        else:
            group = Group.CLEAN
        view = DocView(row, flags, [], counts, group)
        views.append(view)
        if doc_id:
            by_id[doc_id] = view
    return views


def rule_texts() -> dict[str, tuple[str, str]]:
    """rule id -> (summary, longer text) from the check registry (the text of docs/rules.md)."""
    try:
        from pipeline.checks import RULES
    except Exception:  # noqa: BLE001 - the page is still written without the explanations
        return {}
    texts = {}
    for rule in RULES:
        longer = next((getattr(rule, name) for name in ("text", "description", "explanation", "details")
                       if isinstance(getattr(rule, name, None), str) and getattr(rule, name)), "")
        texts[rule.id] = (rule.summary, longer if longer != rule.summary else "")
    return texts


class PageBuilder:
    """Lays out the page from the run's data, crops and excerpts."""

    def __init__(self, data: AuditData, run: RunInfo, crops: dict[str, list[Crop]],
                 excerpts: dict[str, list[Excerpt]]) -> None:
        self.data, self.run, self.crops, self.excerpts = data, run, crops, excerpts
        self.anchor = Anchors()
        self.views = doc_views(data)
        self.rules = rule_texts()
        for view in self.views:  # ids in document order, so they do not depend on what links first
            self.doc_anchor(view)
            for flag in view.flags:
                self.anchor("f", flag.get("flag_id", ""))

    def doc_anchor(self, view: DocView) -> str:
        return self.anchor("doc", view.row.get("doc_id") or view.row.get("source", ""))

    # overview -----------------------------------------------------------------------------------
    def overview(self) -> str:
        run, flags = self.run, self.data.flags
        statuses = Counter(v.row.get("status", "") for v in self.views)
        severity = Counter(f.get("severity", "") for f in flags)
        reviewed = [f for f in flags if f.get("flag_id") in self.data.reviews]
        decisions = Counter(self.data.reviews[f["flag_id"]]["decision"] for f in reviewed)
        duplicates = sum(len(v.copies) for v in self.views)
        inputs = run.inputs[:MAX_INPUTS_SHOWN]
        more = len(run.inputs) - len(inputs)
        facts = [
            ("ran", e(run.started or "—")),
            ("tool version", f"nianbao {e(run.version or '—')}"),
            ("inputs", "<br>".join(f"<code>{e(i)}</code>" for i in inputs) + (f" … and {more} more" if more else "")
             or "—"),
            ("documents", f"{len(self.views)} distinct" + (f", {duplicates} duplicate files" if duplicates else "")
             + (f"; {run.resumed} taken from an earlier run" if run.resumed else "")
             + (f"; {run.passed_over} non-report files passed over" if run.passed_over else "")),
            ("by status", " · ".join(f"{statuses[s]} {s}" for s in ("ok", "partial", "failed"))),
            ("flags", f"{len(flags)}: " + " · ".join(f"{severity[s]} {s}" for s in ("error", "warning", "info"))),
            ("reviewed", f"{len(reviewed)} of {len(flags)} flags reviewed"
             + (" (" + ", ".join(f"{decisions[d]} {d}" for d in REVIEW_DECISIONS if decisions[d]) + ")"
                if reviewed else "") + f"; {len(flags) - len(reviewed)} not yet reviewed"),
        ]
        if run.missing_inputs:
            facts.append(("missing inputs", "<br>".join(f"<code>{e(m)}</code>" for m in run.missing_inputs)))
        parts = ['<section id="overview"><h2>Run</h2><dl class="facts">']
        parts += [f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts]
        parts.append("</dl>")
        parts.append(self.rule_table())
        parts.append("</section>")
        return "\n".join(parts)

    def rule_table(self) -> str:
        by_rule: dict[str, Counter] = {}
        for flag in self.data.flags:
            counts = by_rule.setdefault(flag.get("rule", ""), Counter())
            counts[flag.get("severity", "")] += 1
            counts["reviewed"] += flag.get("flag_id") in self.data.reviews
        if not by_rule:
            return "<p>No flags.</p>"
        rows = "".join(
            f'<tr><td><a href="#{self.anchor("rule", rule)}"><code>{e(rule)}</code></a></td>'
            + "".join(f'<td class="n">{counts[s]}</td>' for s in ("error", "warning", "info", "reviewed")) + "</tr>"
            for rule, counts in sorted(by_rule.items(), key=lambda kv: (-kv[1]["error"], -kv[1]["warning"], kv[0])))
        return ('<h3>Flags by rule</h3><div class="scroll"><table><thead><tr><th>rule</th><th class="n">error</th>'
                '<th class="n">warning</th><th class="n">info</th><th class="n">reviewed</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")

    # summary ------------------------------------------------------------------------------------
    def summary(self) -> str:
        parts = ['<section id="documents"><h2>Documents, problems first</h2>']
        for group in Group:
            views = sorted((v for v in self.views if v.group == group),
                           key=lambda v: (-v.counts["error"], -v.counts["warning"], v.row.get("status") != "failed"))
            if not views:
                continue
            is_open = " open" if group != Group.CLEAN else ""
            parts.append(f'<details id="group-{GROUP_IDS[group]}" class="group-{GROUP_IDS[group]}"{is_open}>'
                         f"<summary>{GROUP_TITLES[group]} ({len(views)})</summary>"
                         '<div class="scroll"><table><thead><tr><th>file</th><th>format</th><th>year</th>'
                         '<th>issuer</th><th>level</th><th>status</th><th class="n">error</th>'
                         '<th class="n">warning</th><th class="n">info</th><th class="n">reviewed</th></tr></thead><tbody>')
            for view in views:
                parts.append(self.summary_row(view))
            parts.append("</tbody></table></div></details>")
        parts.append("</section>")
        return "\n".join(parts)

    def summary_row(self, view: DocView) -> str:
        row, anchor = view.row, self.doc_anchor(view)
        name = e(view.name)
        if view.group == Group.CLEAN:  # a clean document has no section of its own: its row is its place
            cell, row_id = name, f' id="{anchor}"'
        else:
            cell, row_id = f'<a href="#{anchor}">{name}</a>', ""
        reviewed = sum(f.get("flag_id") in self.data.reviews for f in view.flags)
        return (f"<tr{row_id}><td>{cell}</td><td>{e(row.get('format'))}</td><td>{e(row.get('year'))}</td>"
                f"<td>{e(row.get('issuer'))}</td><td>{e(row.get('admin_level'))}</td><td>{e(row.get('status'))}</td>"
                f'<td class="n">{view.counts["error"]}</td><td class="n">{view.counts["warning"]}</td>'
                f'<td class="n">{view.counts["info"]}</td><td class="n">{reviewed}/{len(view.flags)}</td></tr>')

    # documents ----------------------------------------------------------------------------------
    def documents(self) -> str:
        parts = ['<section id="reports"><h2>Reports</h2>']
        shown = sorted((v for v in self.views if v.group != Group.CLEAN), key=lambda v: v.group)
        if not self.views:
            parts.append("<p>No documents in this run.</p>")
        elif not shown:
            parts.append("<p>Every report is clean: no flags, no warnings.</p>")
        parts += [self.document(view) for view in shown]
        parts.append("</section>")
        return "\n".join(parts)

    def document(self, view: DocView) -> str:
        row = view.row
        facts = [("source", f"<code>{e(row.get('source'))}</code>")]
        facts += [("also at", f"<code>{e(c)}</code>") for c in view.copies]
        facts += [(label, e(row.get(key))) for label, key in (
            ("format", "format"), ("pages", "pages"), ("issuer", "issuer"), ("year", "year"),
            ("level", "admin_level"), ("template", "template"), ("status", "status")) if row.get(key)]
        if row.get("period_start") or row.get("period_end"):
            facts.append(("period", f"{e(row.get('period_start'))} – {e(row.get('period_end'))}"))
        region = " ".join(row.get(k, "") for k in ("province", "prefecture", "county") if row.get(k))
        if region or row.get("region_code"):
            facts.append(("region", e(region) + (f" <code>{e(row['region_code'])}</code>" if row.get("region_code") else "")))
        coverage = self.coverage(row)
        if coverage:
            facts.append(("table cells", coverage))
        parts = [f'<section class="doc" id="{self.doc_anchor(view)}"><h3>{e(view.name)}</h3>']
        if row.get("title"):
            parts.append(f"<p>{e(row['title'])}</p>")
        parts.append('<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
        if row.get("error"):
            parts.append(f'<div class="reason"><b>{e(row.get("status"))}:</b> {e(row["error"])}</div>')
        notes = warnings_of(row)
        if notes:
            parts.append('<div class="notes"><h4>Reading warnings</h4><ul>'
                         + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul></div>")
        if not view.flags:
            parts.append("<p>No flags.</p>")
        cells = self.data.cells_by_doc.get(row.get("doc_id", ""), {})
        parts += [self.flag(flag, cells) for flag in view.flags]
        parts.append("</section>")
        return "\n".join(parts)

    @staticmethod
    def coverage(row: dict[str, str]) -> str:
        """Coverage of the template's cells, where documents.csv has those columns."""
        names = ("cells_expected", "cells_found", "cells_missing", "cells_ambiguous")
        if not any(row.get(n) for n in names):
            return ""
        return " · ".join(f"{e(row.get(n))} {n.split('_', 1)[1]}" for n in names if row.get(n))

    # flags --------------------------------------------------------------------------------------
    def flag(self, flag: dict[str, str], cells_by_ref: dict[str, dict[str, str]]) -> str:
        flag_id = flag.get("flag_id", "")
        severity = flag.get("severity", "info")
        review = self.data.reviews.get(flag_id, {})
        rule = flag.get("rule", "")
        attrs = (f'data-flag="{e(flag_id)}" data-decision="{e(review.get("decision", ""))}" '
                 f'data-note="{e(review.get("note", ""))}" data-reviewer="{e(review.get("reviewer", ""))}" '
                 f'data-date="{e(review.get("date", ""))}"')
        sev_class = severity if severity in ("error", "warning", "info") else "info"
        reviewed = " reviewed" if review else ""
        parts = [f'<article class="flag {sev_class}{reviewed}" id="{self.anchor("f", flag_id)}" {attrs}>',
                 f'<p><span class="sev">{e(severity)}</span> <a href="#{self.anchor("rule", rule)}">'
                 f'<code>{e(rule)}</code></a>{" · page " + e(flag["page"]) if flag.get("page") else ""} '
                 f'<span class="fid">{e(flag_id)}</span></p>',
                 f"<p>{e(flag.get('message'))}</p>"]
        numbers = [f"{name} <b>{e(flag[name])}</b>" for name in ("expected", "found") if flag.get(name)]
        if numbers:
            parts.append(f'<p class="meta">{" · ".join(numbers)}</p>')
        if review:
            note = f" — {e(review['note'])}" if review.get("note") else ""
            parts.append(f'<p class="review rv-{e(review["decision"])}">Review: <b>{e(review["decision"])}</b>{note}</p>')
        else:
            parts.append('<p class="review none">Not yet reviewed</p>')
        refs = flag.get("refs", "").split()
        cells = [cells_by_ref[r] for r in refs if r in cells_by_ref]
        if cells:
            rows = "".join(
                f"<tr><td><code>{e(c['table'])}.{e(c['row_key'])}.{e(c['col_key'])}</code></td>"
                f"<td>{e(c.get('row_label'))}</td><td>{e(c.get('col_label'))}</td><td>{e(c.get('raw'))}"
                f"{' ' + e(c['unit']) if c.get('unit') else ''}</td><td>{e(c.get('page'))}</td></tr>" for c in cells)
            parts.append('<div class="scroll"><table><thead><tr><th>cell</th><th>row</th><th>column</th>'
                         f"<th>printed</th><th>page</th></tr></thead><tbody>{rows}</tbody></table></div>")
        excerpts = self.excerpts.get(flag_id, [])
        shown = "".join("".join(t for t, _ in x.segments) for x in excerpts).replace("…", "")
        for text in self.evidence_texts(flag, refs):
            if "".join(text.split()) not in "".join(shown.split()):  # not already in a paragraph excerpt
                parts.append(f'<div class="evidence">{e(text)}</div>')
        parts += [self.excerpt(x) for x in excerpts]
        for crop in self.crops.get(flag_id, []):
            parts.append(f'<figure><img class="crop" alt="{e(crop.caption)}" src="{e(crop.uri)}">'
                         f"<figcaption>{e(crop.caption)}</figcaption></figure>")
        parts.append("</article>")
        return "\n".join(parts)

    def evidence_texts(self, flag: dict[str, str], refs: Iterable[str]) -> list[str]:
        texts = [flag["evidence"]] if flag.get("evidence") else []
        for ref in refs:
            figure = self.data.figures.get(ref.split(":", 1)[1]) if ref.startswith("figure:") else None
            sentence = figure.get("sentence", "") if figure else ""
            if sentence and sentence not in texts:
                texts.append(sentence)
        return texts

    @staticmethod
    def excerpt(x: Excerpt) -> str:
        if x.row:
            def cells(row: list[tuple[str, int, list[int]]], tag: str) -> str:
                return "<tr>" + "".join(
                    f"<{tag}" + (f' colspan="{width}"' if width > 1 else "")
                    + (' class="hit"' if tag == "td" and set(cols) & set(x.marked) else "") + f">{e(text)}</{tag}>"
                    for text, width, cols in row) + "</tr>"
            head, body = "".join(cells(r, "th") for r in x.header), cells(x.row, "td")
            return (f'<div class="excerpt"><div class="pos">{e(x.position)}</div><div class="scroll"><table>'
                    f"<thead>{head}</thead><tbody>{body}</tbody></table></div></div>")
        return (f'<div class="excerpt"><div class="pos">{e(x.position)}</div>'
                + "".join(f"<mark>{e(t)}</mark>" if marked else e(t) for t, marked in x.segments) + "</div>")

    # rules and reviews --------------------------------------------------------------------------
    def rules_section(self) -> str:
        flags_by_rule: dict[str, list[dict[str, str]]] = {}
        for flag in self.data.flags:
            flags_by_rule.setdefault(flag.get("rule", ""), []).append(flag)
        names = {v.row.get("doc_id", ""): v.name for v in self.views}
        ids = list(self.rules) + [r for r in flags_by_rule if r not in self.rules]
        parts = ['<section id="rules"><h2>Rules</h2><p class="meta">Every rule the checks run, from the same '
                 "registry as docs/rules.md; a rule with flags lists them.</p>"]
        for rule in ids:
            summary, longer = self.rules.get(rule, ("", ""))
            flags = flags_by_rule.get(rule, [])
            counts = Counter(f.get("severity", "") for f in flags)
            tally = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info") if counts[s]) or "no flags"
            parts.append(f'<details id="{self.anchor("rule", rule)}"><summary><code>{e(rule)}</code> '
                         f"{e(summary or 'not in the rule registry of this version')} ({tally})</summary>"
                         + (f"<p>{e(longer)}</p>" if longer else ""))
            if flags:
                parts.append("<ul>" + "".join(
                    f'<li><a href="#{self.anchor("f", f.get("flag_id", ""))}">{e(names.get(f.get("doc_id", ""), ""))}'
                    f"</a> — {e(f.get('severity'))}: {e(f.get('message'))}</li>" for f in flags) + "</ul>")
            parts.append("</details>")
        parts.append("</section>")
        return "\n".join(parts)

    def reviews_section(self) -> str:
        lines = ["flag_id,decision,note,reviewer,date"]
        for flag in self.data.flags:
            review = self.data.reviews.get(flag.get("flag_id", ""))
            if review:
                lines.append(",".join(_csv_field(v) for v in (flag["flag_id"], review["decision"], review["note"],
                                                              review["reviewer"], review["date"])))
        return ('<section id="reviews"><h2>Reviews</h2><p>Decisions: confirmed (a real problem), dismissed '
                "(not a problem), explained (a reason is known). Put <code>reviews.csv</code> in the output folder "
                "and run again: each flag then shows its decision.</p>"
                '<div id="review-tool" hidden><p>Record a decision and a note under each flag; '
                '<span id="review-count">0</span> decisions below. Reviewer: '
                '<input id="reviewer" type="text" aria-label="reviewer"> '
                '<button id="review-copy" type="button">Copy</button> '
                '<a id="review-download" download="reviews.csv" href="#reviews">Download reviews.csv</a></p></div>'
                f'<textarea id="reviews-csv" readonly aria-label="reviews.csv">{e(chr(10).join(lines))}\n</textarea>'
                "</section>")

    def page(self) -> str:
        severity = Counter(f.get("severity", "") for f in self.data.flags)
        body = [
            '<header><h1>nianbao audit</h1>',
            f'<p class="meta">{len(self.views)} documents · {severity["error"]} errors · {severity["warning"]} '
            f'warnings · {severity["info"]} for information</p>',
            '<nav class="toc"><a href="#overview">Run</a><a href="#documents">Documents</a>'
            '<a href="#reports">Reports</a><a href="#rules">Rules</a><a href="#reviews">Reviews</a></nav>',
            '<nav class="toc">Flags shown: <a href="#all">all</a><a href="#only-errors">errors</a>'
            '<a href="#only-serious">errors and warnings</a><a href="#only-open">not yet reviewed</a></nav></header>',
            # static filters: following a link to one of these makes it the :target, and the style sheet
            # hides the other flags (no script)
            '<span id="all" class="filter"></span><span id="only-errors" class="filter"></span>'
            '<span id="only-serious" class="filter"></span><span id="only-open" class="filter"></span>',
            "<main>", self.overview(), self.summary(), self.documents(), self.rules_section(),
            self.reviews_section(), "</main>",
        ]
        return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
                f"<title>nianbao audit</title><style>{STYLE}</style></head><body>\n"
                + "\n".join(body) + f"\n<script>{SCRIPT}</script>\n</body></html>\n")


def _csv_field(value: str) -> str:
    value = str(value or "")
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value
