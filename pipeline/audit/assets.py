"""The page's style sheet, its one small script and the Content-Security-Policy that admits only it.

The script lets an auditor record decisions and take away reviews.csv; everything else works without
it (it only adds controls), and the CSP runs no other script: its hash is the only one admitted.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;padding:1em;color:#222;
max-width:1100px;line-height:1.45}
p,dd,li,summary,h3,.evidence,.excerpt,figcaption{overflow-wrap:anywhere}
h1{font-size:1.45em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}
h3{font-size:1.05em;margin:.2em 0}h4{font-size:.95em;margin:.6em 0 .2em}
a{color:#0b57d0}code{background:#f0f0f0;padding:0 .2em}
nav.toc{display:flex;flex-wrap:wrap;gap:.2em 1em;margin:.3em 0}nav.toc a{white-space:nowrap}
.meta{color:#555;font-size:.9em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.n,th.n{text-align:right}thead th{white-space:nowrap}td{overflow-wrap:break-word}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15em 1em;margin:.5em 0}
dl.facts dt{color:#555}dl.facts dd{margin:0}
details{margin:.4em 0}summary{cursor:pointer;font-weight:bold}
.group-errors summary{color:#c62828}.group-warnings summary{color:#b35300}.group-partial summary{color:#6a1b9a}
.doc{border-top:2px solid #ccc;margin-top:1.5em;padding-top:.5em}
.reason{border-left:5px solid #6a1b9a;background:#f7f0fa;padding:.4em .8em;margin:.4em 0}
.notes ul{margin:.2em 0;padding-left:1.4em}
.flag{border-left:5px solid #999;padding:.5em .9em;margin:.8em 0;background:#fafafa;break-inside:avoid}
.error{border-color:#c62828}.warning{border-color:#ef6c00}.info{border-color:#1565c0}
.sev{font-weight:bold;text-transform:uppercase;font-size:.8em}.error .sev{color:#c62828}
.warning .sev{color:#b35300}.info .sev{color:#1565c0}.fid{color:#777;font-size:.8em}
.evidence{background:#fff;border:1px solid #e5e5e5;padding:.4em;margin:.4em 0;white-space:pre-wrap}
.excerpt{background:#fff;border:1px solid #e5e5e5;padding:.4em;margin:.4em 0}
.excerpt .pos{color:#555;font-size:.85em}mark{background:#ffe082;outline:2px solid #d60000}
td.hit{outline:2px solid #d60000;background:#ffe082}
figure{margin:.5em 0}figcaption{color:#555;font-size:.85em}
img.crop{max-width:100%;height:auto;border:1px solid #ccc}
.review{font-size:.9em}.review b{text-transform:uppercase}.review.none{color:#777}
.rv-confirmed b{color:#c62828}.rv-dismissed b{color:#2e7d32}.rv-explained b{color:#1565c0}
.review-form{margin-top:.4em;display:flex;flex-wrap:wrap;gap:.4em}
.review-form input{flex:1 1 12em;min-width:0}
textarea{width:100%;min-height:6em;font-family:monospace}
:target{outline:3px solid #0b57d0;outline-offset:2px}
.filter{display:block;height:0}.filter:target{outline:none}
#only-errors:target~main article.flag:not(.error),#only-serious:target~main article.flag.info,
#only-open:target~main article.flag.reviewed{display:none}
@media (max-width:600px){body{padding:.5em}.flag{padding:.4em .6em}}
@media print{
body{max-width:none;padding:0;font-size:10pt}nav.toc,.review-form,#review-tool,.noprint{display:none}
details>*{display:block}details::details-content{display:contents;content-visibility:visible}
.flag,figure,tr,.reason{break-inside:avoid}h2,h3{break-after:avoid}
thead{display:table-header-group}.scroll{overflow:visible}a{color:inherit;text-decoration:none}
}
"""

SCRIPT = r"""(function(){"use strict";
var flags=Array.prototype.slice.call(document.querySelectorAll("article.flag[data-flag]"));
var box=document.getElementById("reviews-csv"),tool=document.getElementById("review-tool");
var count=document.getElementById("review-count"),who=document.getElementById("reviewer");
if(!box||!tool)return;
var DECISIONS=["","confirmed","dismissed","explained"],url=null;
function q(v){v=String(v==null?"":v);return /[",\r\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v;}
function build(){var lines=["flag_id,decision,note,reviewer,date"],n=0;
flags.forEach(function(f){var d=f.getAttribute("data-decision")||"";if(!d)return;n++;
lines.push([f.getAttribute("data-flag"),d,f.getAttribute("data-note")||"",f.getAttribute("data-reviewer")||"",
f.getAttribute("data-date")||""].map(q).join(","));});
box.value=lines.join("\r\n")+"\r\n";count.textContent=String(n);
if(url)URL.revokeObjectURL(url);url=URL.createObjectURL(new Blob(["\ufeff"+box.value],{type:"text/csv"}));
document.getElementById("review-download").href=url;}
flags.forEach(function(f){var form=document.createElement("div");form.className="review-form";
var sel=document.createElement("select");sel.setAttribute("aria-label","decision");
DECISIONS.forEach(function(d){var o=document.createElement("option");o.value=d;o.textContent=d||"not reviewed";sel.appendChild(o);});
var note=document.createElement("input");note.type="text";note.placeholder="note";note.setAttribute("aria-label","note");
sel.value=f.getAttribute("data-decision")||"";note.value=f.getAttribute("data-note")||"";
function update(){f.setAttribute("data-decision",sel.value);f.setAttribute("data-note",note.value);
f.setAttribute("data-reviewer",who.value);f.setAttribute("data-date",new Date().toISOString().slice(0,10));build();}
sel.addEventListener("change",update);note.addEventListener("change",update);
form.appendChild(sel);form.appendChild(note);f.appendChild(form);});
document.getElementById("review-copy").addEventListener("click",function(){
function fallback(){box.select();document.execCommand("copy");}
if(navigator.clipboard){navigator.clipboard.writeText(box.value).catch(fallback);}else{fallback();}});
window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true;});});
tool.hidden=false;build();})();"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'"
