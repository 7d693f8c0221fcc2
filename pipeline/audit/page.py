"""The audit page's HTML: overview, documents grouped problems first, each document's notes and flags
with their evidence, the rules, and the reviews. Every text from a document or a CSV is escaped."""

from __future__ import annotations

import html
import re as _stdlib_re
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
    """Text as HTML text (quotes too, so it is safe in attributes). Called for every field the page shows:
    text with nothing to escape (most of it) is returned after one scan."""
    value = text if type(text) is str else str(text if text is not None else "")
    return html.escape(value, quote=True) if _ESCAPED(value) else value


_ESCAPED = _stdlib_re.compile("[&<>\"']").search  # what html.escape(quote=True) replaces


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
class Finding:
    """One finding of a report: the flags of its files (formats, copies) that say the same thing (same
    rule, cells and numbers), shown once and reviewed together."""

    flags: list[dict[str, str]]

    @property
    def main(self) -> dict[str, str]:
        return self.flags[0]

    @property
    def ids(self) -> list[str]:
        return [f.get("flag_id", "") for f in self.flags]


@dataclass
class DocView:
    """One report as the page lists it: its first file's row, the other files of the same report (other
    formats: `report_id`; the same bytes: duplicates), every file's flags and the findings they make."""

    row: dict[str, str]
    flags: list[dict[str, str]]
    copies: list[str]  # sources of duplicates of it
    counts: Counter
    group: Group
    files: list[dict[str, str]] = field(default_factory=list)  # every distinct file of the report, row first
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return file_name(self.row.get("source", ""))

    @property
    def key(self) -> str:
        return self.row.get("report_id") or self.row.get("doc_id") or self.row.get("source", "")


def file_name(source: str) -> str:
    """The last part of a source path or archive member."""
    return re.split(r"[/\\!]", source)[-1] or source


def warnings_of(row: dict[str, str]) -> list[str]:
    """A document's warnings, one note each, worded as in documents.csv."""
    return [w.strip() for w in (row.get("warnings") or "").split("; ") if w.strip()]


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
STATUS_RANK = {"failed": 0, "partial": 1, "ok": 2}


def findings_of(flags: list[dict[str, str]]) -> list[Finding]:
    """Flags that say the same thing of the same report (one per file) as one finding, serious first."""
    found: dict[tuple[str, ...], Finding] = {}
    for flag in flags:
        key = (flag.get("rule", ""), " ".join(sorted(flag.get("refs", "").split())), flag.get("expected", ""),
               flag.get("found", ""), flag.get("message", "") if not flag.get("refs") else "")
        if key in found:
            found[key].flags.append(flag)
        else:
            found[key] = Finding([flag])
    return sorted(found.values(), key=lambda f: SEVERITY_RANK.get(f.main.get("severity", ""), 9))


def doc_views(data: AuditData) -> list[DocView]:
    """One view per report (`report_id` where the run gives one, else the file's bytes), in input order:
    duplicates and the report's other formats folded into its first file."""
    views: list[DocView] = []
    by_key: dict[str, DocView] = {}
    for row in data.documents:
        doc_id = row.get("doc_id", "")
        key = row.get("report_id") or doc_id
        if key and key in by_key:
            view = by_key[key]
            if doc_id in {f.get("doc_id") for f in view.files}:
                view.copies.append(row.get("source", ""))
            else:  # another format of the same report: its flags join the report's
                view.files.append(row)
                view.flags += data.flags_by_doc.get(doc_id, [])
            continue
        flags = list(data.flags_by_doc.get(doc_id, [])) if doc_id else []
        view = DocView(row, flags, [], Counter(), Group.CLEAN, [row])
        views.append(view)
        if key:
            by_key[key] = view
    for view in views:
        view.findings = findings_of(view.flags)
        view.counts = Counter(f.main.get("severity", "") for f in view.findings)
        view.group = group_of(view)
    return views


def status_of(view: DocView) -> str:
    """A report's status: its worst file's."""
    return min((f.get("status", "") for f in view.files), key=lambda s: STATUS_RANK.get(s, 9), default="")


def group_of(view: DocView) -> Group:
    """The summary group of a report (after its files are gathered)."""
    if view.counts["error"]:
        return Group.ERRORS
    if view.counts["warning"]:
        return Group.WARNINGS
    if status_of(view) in ("partial", "failed"):
        return Group.PARTIAL
    if any(warnings_of(f) for f in view.files):
        return Group.NOTES
    if view.flags:
        return Group.INFO
    return Group.CLEAN


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


SPLIT_AT = 40  # reports with a section of their own beyond which each gets a page of its own
REPORTS_DIR = "audit"  # the report pages of a split page, beside audit.html
WHY_LENGTH = 90  # characters of a report's worst finding in the documents table
OCR_NOTE = "text from OCR"


def grouped(value: object) -> str:
    """A number with digit grouping (348,000,000; 1,234.5); other text as it is."""
    text = str(value if value is not None else "").strip()
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return text
    if number.is_integer() and "." not in text:
        return f"{int(number):,}"
    return f"{number:,.{len(text.split('.', 1)[1]) if '.' in text else 2}f}"


def is_ocr(row: dict[str, str]) -> bool:
    """True when the document's text (and so its numbers) came from OCR."""
    return any(n.startswith(OCR_NOTE) for n in warnings_of(row))


class PageBuilder:
    """Lays out the page from the run's data, crops and excerpts: one page, or, for an archive (more than
    SPLIT_AT reports with something to show), an overview and one page per report."""

    def __init__(self, data: AuditData, run: RunInfo, crops: dict[str, list[Crop]],
                 excerpts: dict[str, list[Excerpt]], split_at: int = SPLIT_AT) -> None:
        self.data, self.run, self.crops, self.excerpts = data, run, crops, excerpts
        self.anchor = Anchors()
        self.views = doc_views(data)
        self.rules = rule_texts()
        self.doc_name = {f.get("doc_id", ""): file_name(f.get("source", "")) for v in self.views for f in v.files}
        self.shown = sorted((v for v in self.views if v.group != Group.CLEAN), key=lambda v: v.group)
        self.split = len(self.shown) > split_at
        self.ocr_docs = {f.get("doc_id", "") for v in self.views for f in v.files if is_ocr(f)}
        self.finding_anchor: dict[str, str] = {}  # flag id -> the element id of its finding
        for view in self.views:  # ids in document order, so they do not depend on what links first
            self.doc_anchor(view)
            for finding in view.findings:
                anchor = self.anchor("f", finding.main.get("flag_id", ""))
                for flag_id in finding.ids:
                    self.finding_anchor.setdefault(flag_id, anchor)

    def doc_anchor(self, view: DocView) -> str:
        return self.anchor("doc", view.key)

    def doc_href(self, view: DocView, fragment: str = "") -> str:
        """Where a report's section is: in this page, or its own page when the page is split."""
        fragment = fragment or self.doc_anchor(view)
        if self.split and view.group != Group.CLEAN:
            return f"{REPORTS_DIR}/{self.doc_anchor(view)}.html#{fragment}"
        return f"#{fragment}"

    def rule_title(self, rule: str) -> str:
        """A rule as the auditor reads it: its Chinese title, the code beside it."""
        summary = self.rules.get(rule, ("", ""))[0]
        return (f'<span class="rt">{e(summary)}</span> ' if summary else "") + f"<code>{e(rule)}</code>"

    # overview -----------------------------------------------------------------------------------
    def overview(self) -> str:
        run, flags = self.run, self.data.flags
        statuses = Counter(status_of(v) for v in self.views)
        severity = Counter(f.get("severity", "") for f in flags)
        reviewed = [f for f in flags if f.get("flag_id") in self.data.reviews]
        decisions = Counter(self.data.reviews[f["flag_id"]]["decision"] for f in reviewed)
        duplicates = sum(len(v.copies) for v in self.views)
        files = sum(len(v.files) for v in self.views)
        findings = sum(len(v.findings) for v in self.views)
        inputs = run.inputs[:MAX_INPUTS_SHOWN]
        more = len(run.inputs) - len(inputs)
        facts = [
            ("ran", e(run.started or "—")),
            ("tool version", f"nianbao {e(run.version or '—')}"),
            ("inputs", "<br>".join(f"<code>{e(i)}</code>" for i in inputs) + (f" … and {more} more" if more else "")
             or "—"),
            ("documents", f"{len(self.views)} distinct" + (f" ({files} files)" if files != len(self.views) else "")
             + (f", {duplicates} duplicate files" if duplicates else "")
             + (f"; {run.resumed} taken from an earlier run" if run.resumed else "")
             + (f"; {run.passed_over} non-report files passed over" if run.passed_over else "")),
            ("by status (a report's worst file)", " · ".join(f"{statuses[s]} {s}" for s in ("ok", "partial", "failed"))),
            ("flags", f"{len(flags)}: " + " · ".join(f"{severity[s]} {s}" for s in ("error", "warning", "info"))
             + (f" ({findings} findings: the same flag in several files of a report counts once)"
                if findings != len(flags) else "")),
            ("reviewed", f"{len(reviewed)} of {len(flags)} flags reviewed"
             + (" (" + ", ".join(f"{decisions[d]} {d}" for d in REVIEW_DECISIONS if decisions[d]) + ")"
                if reviewed else "") + f"; {len(flags) - len(reviewed)} not yet reviewed"),
        ]
        if self.data.not_applied:
            facts.append(("not applied", f'<a href="#not-applied">{len(self.data.not_applied)} review or '
                                         "correction lines</a>"))
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
            f'<tr><td><a href="#{self.anchor("rule", rule)}">{self.rule_title(rule)}</a></td>'
            + "".join(f'<td class="n">{counts[s]:,}</td>' for s in ("error", "warning", "info", "reviewed")) + "</tr>"
            for rule, counts in sorted(by_rule.items(), key=lambda kv: (-kv[1]["error"], -kv[1]["warning"], kv[0])))
        return ('<h3>Flags by rule</h3><div class="scroll"><table><thead><tr><th>rule</th><th class="n">error</th>'
                '<th class="n">warning</th><th class="n">info</th><th class="n">reviewed</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")

    # summary ------------------------------------------------------------------------------------
    def summary(self) -> str:
        parts = ['<section id="documents"><h2>Documents, problems first</h2>']
        for group in Group:
            views = sorted((v for v in self.views if v.group == group),
                           key=lambda v: (-v.counts["error"], -v.counts["warning"], status_of(v) != "failed"))
            if not views:
                continue
            is_open = " open" if group != Group.CLEAN else ""
            parts.append(f'<details id="group-{GROUP_IDS[group]}" class="group-{GROUP_IDS[group]}"{is_open}>'
                         f"<summary>{GROUP_TITLES[group]} ({len(views):,})</summary>"
                         '<div class="scroll"><table class="docs"><thead><tr><th>report</th><th>why</th>'
                         '<th>format</th><th>year</th><th>issuer</th><th>level</th><th>status</th>'
                         '<th class="n">error</th><th class="n">warning</th><th class="n">info</th>'
                         '<th class="n">reviewed</th></tr></thead><tbody>')
            for view in views:
                parts.append(self.summary_row(view))
            parts.append("</tbody></table></div></details>")
        parts.append("</section>")
        return "\n".join(parts)

    def why(self, view: DocView) -> str:
        """A report's worst finding in words: the rule's Chinese title and the numbers, else the reason
        it is partial or failed, else its first reading warning."""
        if view.findings and view.counts["error"] + view.counts["warning"]:
            flag = view.findings[0].main
            numbers = " · ".join(f"{n} {grouped(flag[n])}" for n in ("expected", "found") if flag.get(n))
            text = self.rules.get(flag.get("rule", ""), ("", ""))[0] or flag.get("message", "")
            return (f'{e(shorten(text))}{" (" + e(numbers) + ")" if numbers else ""} '
                    f'<code>{e(flag.get("rule"))}</code>')
        for row in view.files:
            if row.get("error"):
                return f"{e(row.get('status'))}: {e(shorten(row['error']))}"
        notes = [n for row in view.files for n in warnings_of(row)]
        if notes:
            return e(shorten(notes[0]))
        if view.findings:
            return e(shorten(view.findings[0].main.get("message", "")))
        return ""

    def summary_row(self, view: DocView) -> str:
        anchor = self.doc_anchor(view)
        names = [file_name(f.get("source", "")) for f in view.files]
        name = "<br>".join(e(n) for n in names)
        if view.group == Group.CLEAN:  # a clean document has no section of its own: its row is its place
            cell, row_id = name, f' id="{anchor}"'
        else:
            cell, row_id = f'<a href="{self.doc_href(view)}">{name}</a>', ""
        ids = [i for f in view.findings for i in f.ids]
        reviewed = sum(any(i in self.data.reviews for i in f.ids) for f in view.findings)
        formats = " ".join(dict.fromkeys(f.get("format", "") for f in view.files))
        ocr = ' <span class="badge">OCR</span>' if any(is_ocr(f) for f in view.files) else ""
        row = view.row
        return (f'<tr{row_id} data-flags="{e(" ".join(ids))}"><td>{cell}</td><td class="why">{self.why(view)}</td>'
                f"<td>{e(formats)}{ocr}</td><td>{e(row.get('year'))}</td>"
                f"<td>{e(row.get('issuer'))}</td><td>{e(row.get('admin_level'))}</td><td>{e(status_of(view))}</td>"
                f'<td class="n">{view.counts["error"]}</td><td class="n">{view.counts["warning"]}</td>'
                f'<td class="n">{view.counts["info"]}</td><td class="n">{reviewed}/{len(view.findings)}</td></tr>')

    # documents ----------------------------------------------------------------------------------
    def documents(self) -> str:
        parts = ['<section id="reports"><h2>Reports</h2>']
        if not self.views:
            parts.append("<p>No documents in this run.</p>")
        elif not self.shown:
            parts.append("<p>Every report is clean: no flags, no warnings.</p>")
        elif self.split:
            parts.append(f"<p>{len(self.shown):,} reports with something to show, each on a page of its own: "
                         'follow a report in the <a href="#documents">documents table</a>.</p>')
        if not self.split:
            parts += [self.document(view) for view in self.shown]
        parts.append("</section>")
        return "\n".join(parts)

    def document(self, view: DocView) -> str:
        parts = [f'<section class="doc" id="{self.doc_anchor(view)}"><h3>{e(view.name)}</h3>']
        if view.row.get("title"):
            parts.append(f"<p>{e(view.row['title'])}</p>")
        for index, row in enumerate(view.files):
            if len(view.files) > 1:
                parts.append(f'<h4>File {index + 1} of {len(view.files)}: {e(file_name(row.get("source", "")))}</h4>')
            parts.append(self.file_facts(row, view.copies if index == 0 else []))
        if not view.findings:
            parts.append("<p>No flags.</p>")
        for finding in view.findings:
            parts.append(self.flag(finding))
        parts.append("</section>")
        return "\n".join(parts)

    def file_facts(self, row: dict[str, str], copies: list[str]) -> str:
        facts = [("source", f"<code>{e(row.get('source'))}</code>")]
        facts += [("also at", f"<code>{e(c)}</code>") for c in copies]
        facts += [(label, e(row.get(key))) for label, key in (
            ("format", "format"), ("pages", "pages"), ("issuer", "issuer"), ("year", "year"),
            ("level", "admin_level"), ("template", "template"), ("status", "status")) if row.get(key)]
        if is_ocr(row):
            facts.append(("text", '<span class="badge">OCR</span> its numbers were read by OCR from page images'))
        if row.get("period_start") or row.get("period_end"):
            facts.append(("period", f"{e(row.get('period_start'))} – {e(row.get('period_end'))}"))
        region = " ".join(row.get(k, "") for k in ("province", "prefecture", "county") if row.get(k))
        if region or row.get("region_code"):
            facts.append(("region", e(region) + (f" <code>{e(row['region_code'])}</code>" if row.get("region_code") else "")))
        coverage = self.coverage(row)
        if coverage:
            facts.append(("table cells", coverage))
        parts = ['<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"]
        if row.get("error"):
            parts.append(f'<div class="reason"><b>{e(row.get("status"))}:</b> {e(row["error"])}</div>')
        notes = warnings_of(row)
        if notes:
            parts.append('<div class="notes"><h4>Reading warnings</h4><ul>'
                         + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul></div>")
        return "\n".join(parts)

    @staticmethod
    def coverage(row: dict[str, str]) -> str:
        """Coverage of the template's cells, where documents.csv has those columns."""
        names = ("cells_expected", "cells_found", "cells_missing", "cells_ambiguous")
        if not any(row.get(n) for n in names):
            return ""
        return " · ".join(f"{e(row.get(n))} {n.split('_', 1)[1]}" for n in names if row.get(n))

    # flags --------------------------------------------------------------------------------------
    def flag(self, finding: Finding) -> str:
        flag = finding.main
        flag_id = flag.get("flag_id", "")
        severity = flag.get("severity", "info")
        review = next((self.data.reviews[i] for i in finding.ids if i in self.data.reviews), {})
        rule = flag.get("rule", "")
        attrs = (f'data-flag="{e(flag_id)}" data-decision="{e(review.get("decision", ""))}" '
                 f'data-note="{e(review.get("note", ""))}" data-reviewer="{e(review.get("reviewer", ""))}" '
                 f'data-date="{e(review.get("date", ""))}" data-flags="{e(" ".join(finding.ids))}"')
        sev_class = severity if severity in ("error", "warning", "info") else "info"
        reviewed = " reviewed" if review else ""
        rule_href = f"#{self.anchor('rule', rule)}" if not self.split else f"../audit.html#{self.anchor('rule', rule)}"
        parts = [f'<article class="flag {sev_class}{reviewed}" id="{self.finding_anchor[flag_id]}" {attrs}>',
                 f'<p><span class="sev">{e(severity)}</span> <a href="{rule_href}">{self.rule_title(rule)}</a>'
                 f'{" · page " + e(flag["page"]) if flag.get("page") else ""} '
                 f'<span class="fid">{e(flag_id)}</span></p>',
                 f"<p>{e(flag.get('message'))}</p>"]
        if len(finding.flags) > 1:
            parts.append('<p class="meta">The same finding in ' + ", ".join(
                f"{e(self.doc_name.get(f.get('doc_id', ''), ''))} <span class=\"fid\">{e(f.get('flag_id'))}</span>"
                for f in finding.flags) + "</p>")
        numbers = [f"{name} <b>{e(grouped(flag[name]))}</b>" for name in ("expected", "found") if flag.get(name)]
        if numbers:
            parts.append(f'<p class="meta">{" · ".join(numbers)}</p>')
        if review:
            note = f" — {e(review['note'])}" if review.get("note") else ""
            who = " · ".join(e(review[k]) for k in ("reviewer", "date") if review.get(k))
            parts.append(f'<p class="review rv-{e(review["decision"])}">Review: <b>{e(review["decision"])}</b>{note}'
                         + (f' <span class="meta">({who})</span>' if who else "") + "</p>")
        else:
            parts.append('<p class="review none">Not yet reviewed</p>')
        for member in finding.flags:
            parts.append(self.evidence(member, len(finding.flags) > 1))
        parts.append("</article>")
        return "\n".join(parts)

    def evidence(self, flag: dict[str, str], named: bool) -> str:
        """One file's evidence of a flag: its cells (with any correction), the document's own text or
        table row, and the page crops of a PDF."""
        flag_id, doc_id = flag.get("flag_id", ""), flag.get("doc_id", "")
        cells_by_ref = self.data.cells_by_doc.get(doc_id, {})
        ocr = doc_id in self.ocr_docs
        badge = ' <span class="badge">OCR</span>' if ocr else ""
        parts = [f'<p class="meta">In {e(self.doc_name.get(doc_id, ""))}:</p>'] if named else []
        refs = flag.get("refs", "").split()
        cells = [cells_by_ref[r] for r in refs if r in cells_by_ref]
        if cells:
            rows = []
            for c in cells:
                corrected = (f' <span class="badge fix">corrected from {e(grouped(c.get("original_value")) or "blank")}'
                             f' by {e(c["corrected_by"])}</span>' if c.get("corrected_by") else "")
                rows.append(
                    f'<tr data-doc="{e(doc_id)}" data-ref="{e(c["table"])}.{e(c["row_key"])}.{e(c["col_key"])}" '
                    f'data-value="{e(c.get("value"))}"><td><code>{e(c["table"])}.{e(c["row_key"])}.{e(c["col_key"])}'
                    f"</code></td><td>{e(c.get('row_label'))}</td><td>{e(c.get('col_label'))}</td><td>{e(c.get('raw'))}"
                    f"{' ' + e(c['unit']) if c.get('unit') else ''}{badge}</td>"
                    f'<td class="n">{e(grouped(c.get("value")))}{corrected}</td><td>{e(c.get("page"))}</td></tr>')
            parts.append('<div class="scroll"><table class="cells"><thead><tr><th>cell</th><th>row</th><th>column</th>'
                         f'<th>printed</th><th class="n">read as</th><th>page</th></tr></thead><tbody>{"".join(rows)}'
                         "</tbody></table></div>")
        excerpts = self.excerpts.get(flag_id, [])
        shown = "".join("".join(t for t, _ in x.segments) for x in excerpts).replace("…", "")
        for text in self.evidence_texts(flag, refs):
            if "".join(text.split()) not in "".join(shown.split()):  # not already in a paragraph excerpt
                parts.append(f'<div class="evidence">{e(text)}</div>')
        parts += [self.excerpt(x) for x in excerpts]
        for crop in self.crops.get(flag_id, []):
            parts.append(f'<figure><img class="crop" alt="{e(crop.caption)}" src="{e(crop.uri)}">'
                         f"<figcaption>{e(crop.caption)}</figcaption></figure>")
        return f'<div class="file-evidence" data-flag="{e(flag_id)}">' + "\n".join(parts) + "</div>"

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
        if x.body:
            hits = set(x.marked)
            width = max((sum(w for _, w, _ in r) for r in (*x.header, *x.body) if r), default=1)

            def cells(row: list[tuple[str, int, list[int]]] | None, tag: str, index: int) -> str:
                if row is None:  # rows of the table left out between the ones shown
                    return f'<tr class="gap"><td colspan="{width}">⋯</td></tr>'
                return "<tr>" + "".join(
                    f"<{tag}" + (f' colspan="{span}"' if span > 1 else "")
                    + (' class="hit"' if tag == "td" and any((index, c) in hits for c in cols) else "")
                    + f">{e(text)}</{tag}>" for text, span, cols in row) + "</tr>"
            head = "".join(cells(r, "th", -1) for r in x.header)
            body = "".join(cells(r, "th" if i in x.heads else "td", i) for i, r in enumerate(x.body))
            return (f'<div class="excerpt"><div class="pos">{e(x.position)}</div><div class="scroll"><table>'
                    f"<thead>{head}</thead><tbody>{body}</tbody></table></div></div>")
        return (f'<div class="excerpt"><div class="pos">{e(x.position)}</div>'
                + "".join(f"<mark>{e(t)}</mark>" if marked else e(t) for t, marked in x.segments) + "</div>")

    # rules and reviews --------------------------------------------------------------------------
    def rules_section(self) -> str:
        flags_by_rule: dict[str, list[dict[str, str]]] = {}
        for flag in self.data.flags:
            flags_by_rule.setdefault(flag.get("rule", ""), []).append(flag)
        views = {f.get("doc_id", ""): v for v in self.views for f in v.files}
        ids = list(self.rules) + [r for r in flags_by_rule if r not in self.rules]
        parts = ['<section id="rules"><h2>Rules</h2><p class="meta">Every rule the checks run, from the same '
                 "registry as docs/rules.md; a rule with flags lists them"
                 + (" (in an archive, by report: each report's page holds its flags)" if self.split else "")
                 + ".</p>"]
        for rule in ids:
            summary, longer = self.rules.get(rule, ("", ""))
            flags = flags_by_rule.get(rule, [])
            counts = Counter(f.get("severity", "") for f in flags)
            tally = ", ".join(f"{counts[s]:,} {s}" for s in ("error", "warning", "info") if counts[s]) or "no flags"
            parts.append(f'<details id="{self.anchor("rule", rule)}"><summary>'
                         f"{e(summary or 'not in the rule registry of this version')} <code>{e(rule)}</code> "
                         f"({tally})</summary>" + (f"<p>{e(longer)}</p>" if longer else ""))
            if flags and not self.split:
                parts.append("<ul>" + "".join(
                    f'<li><a href="#{self.finding_anchor.get(f.get("flag_id", ""), "")}">'
                    f'{e(self.doc_name.get(f.get("doc_id", ""), ""))}'
                    f"</a> — {e(f.get('severity'))}: {e(f.get('message'))}</li>" for f in flags) + "</ul>")
            elif flags:
                reports = list(dict.fromkeys(views[f["doc_id"]].key for f in flags if f.get("doc_id") in views))
                by_key = {v.key: v for v in self.views}
                parts.append(f"<p>In {len(reports):,} reports: " + ", ".join(
                    f'<a href="{self.doc_href(by_key[k])}">{e(by_key[k].name)}</a>' for k in reports[:50])
                    + (f" … and {len(reports) - 50:,} more" if len(reports) > 50 else "") + "</p>")
            parts.append("</details>")
        parts.append("</section>")
        return "\n".join(parts)

    def baseline_reviews(self) -> str:
        """reviews.csv as the run read it, every readable line (orphans too: an export never drops them)."""
        lines = ["flag_id,decision,note,reviewer,date"]
        for flag_id, review in self.data.reviews.items():
            lines.append(",".join(_csv_field(v) for v in (flag_id, review["decision"], review["note"],
                                                          review["reviewer"], review["date"])))
        return "\n".join(lines) + "\n"

    def baseline_corrections(self) -> str:
        from pipeline.corrections import CORRECTION_COLUMNS

        lines = [",".join(CORRECTION_COLUMNS)]
        lines += [",".join(_csv_field(c.get(k, "")) for k in CORRECTION_COLUMNS) for c in self.data.corrections]
        return "\n".join(lines) + "\n"

    def not_applied_section(self) -> str:
        if not self.data.not_applied:
            return ""
        rows = "".join(f"<tr><td><code>{e(file)}</code></td><td><code>{e(line)}</code></td><td>{e(reason)}</td></tr>"
                       for file, line, reason in self.data.not_applied)
        return ('<h3 id="not-applied">Lines not applied</h3><p>These lines of the auditors\' files did not apply '
                "in this run; they stay in the files (and in what this page exports) until someone removes them.</p>"
                '<div class="scroll"><table><thead><tr><th>file</th><th>line</th><th>why</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")

    def reviews_section(self) -> str:
        sha = {f.get("doc_id", ""): f.get("sha256", "") for v in self.views for f in v.files}
        docs = ",".join(f"{k}:{v}" for k, v in sha.items() if k and v)
        return ('<section id="reviews"><h2>Reviews and corrections</h2><p>Decisions: confirmed (a real problem), '
                "dismissed (not a problem), explained (a reason is known). A misread cell is corrected under its "
                "flag. Put <code>reviews.csv</code> and <code>corrections.csv</code> in the output folder and run "
                "again: each flag then shows its decision, and each corrected cell its value, checked again.</p>"
                + self.not_applied_section() +
                '<div id="review-tool" hidden><p><span id="review-count">0</span> decisions and '
                '<span id="correction-count">0</span> corrections; <span id="unsaved">0</span> not yet exported. '
                '<span id="review-status" role="status"></span></p><p>'
                '<a id="review-download" download="reviews.csv" href="#reviews">Download reviews.csv</a> '
                '<a id="correction-download" download="corrections.csv" href="#reviews">Download corrections.csv</a> '
                '<button id="review-copy" type="button">Copy reviews.csv</button></p></div>'
                f'<textarea id="reviews-csv" readonly aria-label="reviews.csv">{e(self.baseline_reviews())}</textarea>'
                f'<textarea id="corrections-csv" readonly aria-label="corrections.csv">'
                f"{e(self.baseline_corrections())}</textarea>"
                f'<span id="doc-sha" hidden data-docs="{e(docs)}"></span>'
                "</section>")

    def header(self, home: str) -> str:
        severity = Counter(f.get("severity", "") for f in self.data.flags)
        return "\n".join([
            '<header><h1>nianbao audit</h1>',
            f'<p class="meta">{len(self.views):,} documents · {severity["error"]:,} errors · {severity["warning"]:,} '
            f'warnings · {severity["info"]:,} for information</p>',
            f'<nav class="toc"><a href="{home}#overview">Run</a><a href="{home}#documents">Documents</a>'
            f'<a href="{home}#reports">Reports</a><a href="{home}#rules">Rules</a><a href="{home}#reviews">Reviews</a>'
            "</nav>",
            '<nav class="toc">Flags shown: <a href="#all">all</a><a href="#only-errors">errors</a>'
            '<a href="#only-serious">errors and warnings</a><a href="#only-open">not yet reviewed</a></nav>',
            '<p class="toolbar" id="reviewer-bar" hidden><label>Reviewer: <input id="reviewer" type="text" '
            'autocomplete="name"></label> <span class="meta">needed to export; kept in this browser</span></p>'
            "</header>",
            # static filters: following a link to one of these makes it the :target, and the style sheet
            # hides the other flags (no script)
            '<span id="all" class="filter"></span><span id="only-errors" class="filter"></span>'
            '<span id="only-serious" class="filter"></span><span id="only-open" class="filter"></span>'])

    def wrap(self, body: str, title: str, role: str) -> str:
        return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
                f"<title>{e(title)}</title><style>{STYLE}</style></head>"
                f'<body data-run="{e(self.run.key)}" data-role="{role}">\n'
                + body + f"\n<script>{SCRIPT}</script>\n</body></html>\n")

    def page(self) -> str:
        body = [self.header(""), "<main>", self.overview(), self.summary(), self.documents(), self.rules_section(),
                self.reviews_section(), "</main>"]
        return self.wrap("\n".join(body), "nianbao audit", "overview" if self.split else "page")

    def report_pages(self) -> dict[str, str]:
        """file name -> page, one per report with something to show (only when the page is split)."""
        if not self.split:
            return {}
        pages = {}
        for view in self.shown:
            body = [self.header("../audit.html"), '<main><p><a href="../audit.html#documents">← all documents</a></p>',
                    self.document(view), "</main>"]
            pages[f"{self.doc_anchor(view)}.html"] = self.wrap("\n".join(body), f"nianbao audit: {view.name}", "report")
        return pages


def shorten(text: str, length: int = WHY_LENGTH) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _csv_field(value: str) -> str:
    value = str(value or "")
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value
