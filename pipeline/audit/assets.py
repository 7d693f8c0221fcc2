"""The page's style sheet, its one small script and the Content-Security-Policy that admits only it.

The script lets an auditor record decisions and corrections, keeps them in the browser's storage (under
the output folder's key and the flag or cell) until they are exported as reviews.csv and corrections.csv,
warns before leaving unexported work, and scrolls each wide excerpt to its highlighted cells; everything
else works without it (it only adds controls), and the CSP runs no other script: its hash is the only
one admitted.
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
.scroll{overflow-x:auto;max-width:100%;position:relative}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.n,th.n{text-align:right}thead th{white-space:normal;min-width:2.5em}td{overflow-wrap:break-word}
.excerpt td:first-child,.excerpt th:first-child{min-width:7em}.why{min-width:14em}.rt{font-weight:normal}
.badge{font-size:.75em;border:1px solid #6a1b9a;color:#6a1b9a;padding:0 .3em;border-radius:3px;white-space:nowrap}
.badge.fix{border-color:#2e7d32;color:#2e7d32}.unsaved,.warn{color:#b35300;font-size:.9em}
#reviewer-bar{position:sticky;top:0;background:#fff;padding:.3em 0;margin:0;z-index:1}
.cells input{width:7em}
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
@media (max-width:600px){body{padding:.5em}.flag{padding:.4em .6em}
.excerpt table{font-size:.8em}.excerpt td,.excerpt th{padding:.15em .2em}.excerpt thead th{min-width:2em}
.excerpt td:first-child,.excerpt th:first-child{min-width:4.5em}}
tr.gap td{color:#777;text-align:center;border-style:dashed;padding:0}
@media print{
body{max-width:none;padding:0;font-size:10pt}nav.toc,.review-form,#review-tool,.noprint{display:none}
details>*{display:block}details::details-content{display:contents;content-visibility:visible}
.flag,figure,tr,.reason{break-inside:avoid}h2,h3{break-after:avoid}
thead{display:table-header-group}.scroll{overflow:visible}a{color:inherit;text-decoration:none}
textarea,#reviewer-bar{display:none}.scroll table{width:100%;table-layout:fixed}td,th{overflow-wrap:anywhere;min-width:0}
.excerpt td:first-child,.excerpt th:first-child,.why{min-width:0}img.crop{max-width:100%}
}
"""

SCRIPT = r"""(function(){"use strict";
var body=document.body,run=body.getAttribute("data-run")||"page";
var P="nianbao:"+run+":",R=P+"r:",C=P+"c:",WHO=P+"reviewer";
var store=null;try{store=window.localStorage;store.getItem(WHO);}catch(x){store=null;}
function get(k){try{var v=store&&store.getItem(k);return v?JSON.parse(v):null;}catch(x){return null;}}
function put(k,v){if(!store)return;try{store.setItem(k,JSON.stringify(v));}catch(x){}}
function drop(k){if(store)store.removeItem(k);}
function keys(pre){var out=[];if(!store)return out;for(var i=0;i<store.length;i++){var k=store.key(i);
if(k&&k.indexOf(pre)===0)out.push(k);}return out;}
function today(){return new Date().toISOString().slice(0,10);}
function el(tag,cls,text){var n=document.createElement(tag);if(cls)n.className=cls;if(text!=null)n.textContent=text;return n;}
function q(v){v=String(v==null?"":v);return /[",\r\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v;}
function parse(text){var rows=[],row=[],f="",i=0,inq=false,c;
for(;i<text.length;i++){c=text[i];if(inq){if(c==='"'){if(text[i+1]==='"'){f+='"';i++;}else inq=false;}else f+=c;}
else if(c==='"')inq=true;else if(c===","){row.push(f);f="";}else if(c==="\n"||c==="\r"){if(c==="\r"&&text[i+1]==="\n")i++;
row.push(f);f="";rows.push(row);row=[];}else f+=c;}
if(f!==""||row.length){row.push(f);rows.push(row);}return rows;}
function table(text){var rows=parse(text||""),head=rows.shift()||[];return rows.filter(function(r){return r.join("")!=="";})
.map(function(r){var o={};head.forEach(function(h,i){o[h]=r[i]||"";});return o;});}
var who=document.getElementById("reviewer"),bar=document.getElementById("reviewer-bar");
var status=document.getElementById("review-status"),dirty=0;
function reviewer(){return who?who.value.trim():"";}
if(who&&bar){who.value=(store&&store.getItem(WHO))||"";bar.hidden=false;
who.addEventListener("input",function(){if(store)store.setItem(WHO,reviewer());refresh();});}
var DECISIONS=["","confirmed","dismissed","explained"];
function base(f){return{decision:f.getAttribute("data-decision")||"",note:f.getAttribute("data-note")||"",
reviewer:f.getAttribute("data-reviewer")||"",date:f.getAttribute("data-date")||""};}
function state(f){return get(R+f.getAttribute("data-flag"))||base(f);}
function render(f){var s=state(f),p=f.querySelector("p.review"),local=get(R+f.getAttribute("data-flag"));
if(!p)return;p.textContent="";p.className="review "+(s.decision?"rv-"+s.decision:"none");
if(s.decision){p.appendChild(document.createTextNode("Review: "));p.appendChild(el("b",null,s.decision));
if(s.note)p.appendChild(document.createTextNode(" \u2014 "+s.note));
var w=[s.reviewer,s.date].filter(Boolean).join(" \u00b7 ");if(w)p.appendChild(el("span","meta"," ("+w+")"));}
else{p.appendChild(document.createTextNode("Not yet reviewed"));
if(s.note)p.appendChild(el("span","warn"," \u2014 note kept here: choose a decision to export it"));}
if(local&&!local.saved)p.appendChild(el("span","unsaved"," not yet exported"));
f.classList.toggle("reviewed",!!s.decision);}
var flags=Array.prototype.slice.call(document.querySelectorAll("article.flag[data-flag]"));
flags.forEach(function(f){var id=f.getAttribute("data-flag"),local=get(R+id),b=base(f);
if(local&&local.decision===b.decision&&local.note===b.note&&local.saved)drop(R+id);
var form=el("div","review-form"),sel=el("select");sel.setAttribute("aria-label","decision");
DECISIONS.forEach(function(d){var o=el("option",null,d||"not reviewed");o.value=d;sel.appendChild(o);});
var note=el("input");note.type="text";note.placeholder="note";note.setAttribute("aria-label","note");
var s=state(f);sel.value=s.decision;note.value=s.note;
function update(){var b=base(f);if(sel.value===b.decision&&note.value===b.note){drop(R+id);}
else put(R+id,{decision:sel.value,note:note.value,reviewer:reviewer(),date:today(),saved:false,
ids:(f.getAttribute("data-flags")||id).split(" ")});render(f);refresh();}
sel.addEventListener("change",update);note.addEventListener("change",update);
form.appendChild(sel);form.appendChild(note);f.appendChild(form);render(f);
Array.prototype.slice.call(f.querySelectorAll("table.cells")).forEach(function(t){
var hr=t.querySelector("thead tr");if(hr)hr.appendChild(el("th",null,"correct to"));
Array.prototype.slice.call(t.querySelectorAll("tr[data-ref]")).forEach(function(tr){
var ref=tr.getAttribute("data-ref"),doc=tr.getAttribute("data-doc"),k=C+doc+"|"+ref,td=el("td"),
inp=el("input");inp.type="text";inp.inputMode="decimal";inp.size=8;inp.setAttribute("aria-label","correct "+ref+" to");
var c=get(k);if(c)inp.value=c.value;var msg=el("span","meta");function show(){var c=get(k);
msg.textContent=c?(c.saved?" correction exported":" correction not yet exported"):"";}
inp.addEventListener("change",function(){var v=inp.value.trim();if(!v){drop(k);}else{var parts=ref.split(".");
put(k,{doc_id:doc,table:parts[0],row_key:parts[1],col_key:parts.slice(2).join("."),value:v,note:note.value,
reviewer:reviewer(),date:today(),saved:false});}show();refresh();});
td.appendChild(inp);td.appendChild(msg);tr.appendChild(td);show();});});});
var box=document.getElementById("reviews-csv"),cbox=document.getElementById("corrections-csv"),
tool=document.getElementById("review-tool"),shaEl=document.getElementById("doc-sha");
var rlink=document.getElementById("review-download"),clink=document.getElementById("correction-download"),urls=[];
var sha={};if(shaEl)(shaEl.getAttribute("data-docs")||"").split(",").forEach(function(p){var i=p.indexOf(":");
if(i>0)sha[p.slice(0,i)]=p.slice(i+1);});
function exports(){var rv={},order=[],missing=0,loose=0,nr=0,nc=0,un=0;
table(box?box.defaultValue:"").forEach(function(r){if(!(r.flag_id in rv))order.push(r.flag_id);rv[r.flag_id]=r;});
keys(R).forEach(function(k){var e=get(k);if(!e)return;if(!e.saved)un++;
var ids=e.ids||[k.slice(R.length)];if(!e.decision){if(e.note)loose++;ids.forEach(function(i){delete rv[i];});return;}
var w=e.reviewer||reviewer();if(!w)missing++;
ids.forEach(function(i){if(!(i in rv))order.push(i);rv[i]={flag_id:i,decision:e.decision,note:e.note,reviewer:w,date:e.date};});});
var lines=["flag_id,decision,note,reviewer,date"];order.forEach(function(i){var r=rv[i];if(!r)return;nr++;
lines.push([i,r.decision,r.note,r.reviewer,r.date].map(q).join(","));delete rv[i];});
var cols=["doc_id","sha256","table","row_key","col_key","value","note","reviewer","date"],cv={},corder=[];
table(cbox?cbox.defaultValue:"").forEach(function(r){var k=(r.doc_id||r.sha256)+"|"+r.table+"."+r.row_key+"."+r.col_key;
if(!(k in cv))corder.push(k);cv[k]=r;});
keys(C).forEach(function(k){var e=get(k);if(!e)return;if(!e.saved)un++;var w=e.reviewer||reviewer();if(!w)missing++;
var key=k.slice(C.length);if(!(key in cv))corder.push(key);
cv[key]={doc_id:e.doc_id,sha256:sha[e.doc_id]||"",table:e.table,row_key:e.row_key,col_key:e.col_key,value:e.value,
note:e.note,reviewer:w,date:e.date};});
var clines=[cols.join(",")];corder.forEach(function(k){var r=cv[k];if(!r)return;nc++;
clines.push(cols.map(function(c){return q(r[c]);}).join(","));delete cv[k];});
return{reviews:lines.join("\r\n")+"\r\n",corrections:clines.join("\r\n")+"\r\n",missing:missing,loose:loose,
reviewsN:nr,correctionsN:nc,unsaved:un};}
function say(t){if(status)status.textContent=t;}
function refresh(){var x=exports();dirty=x.unsaved;
var u=document.getElementById("unsaved");if(u)u.textContent=String(x.unsaved);
if(!box||!tool)return;box.value=x.reviews;if(cbox)cbox.value=x.corrections;
document.getElementById("review-count").textContent=String(x.reviewsN);
document.getElementById("correction-count").textContent=String(x.correctionsN);
urls.forEach(function(v){URL.revokeObjectURL(v);});urls=[];
var ready=!x.missing;[rlink,clink].forEach(function(a){a.setAttribute("aria-disabled",ready?"false":"true");});
if(ready){var a=URL.createObjectURL(new Blob(["\ufeff"+x.reviews],{type:"text/csv"})),
b=URL.createObjectURL(new Blob(["\ufeff"+x.corrections],{type:"text/csv"}));urls=[a,b];rlink.href=a;clink.href=b;}
else{rlink.href="#reviews";clink.href="#reviews";}
say([ready?"":"Type the reviewer's name (top of the page) to export: "+x.missing+" decisions or corrections have none.",
x.loose?x.loose+" notes without a decision are kept in this browser but not exported: choose a decision.":""]
.filter(Boolean).join(" "));}
function saved(){keys(R).concat(keys(C)).forEach(function(k){var e=get(k);if(e&&!e.saved){e.saved=true;put(k,e);}});
flags.forEach(render);refresh();}
function exporting(ev){if(exports().missing){ev.preventDefault();if(who)who.focus();refresh();return false;}
setTimeout(saved,0);return true;}
if(box&&tool){rlink.addEventListener("click",exporting);clink.addEventListener("click",exporting);
document.getElementById("review-copy").addEventListener("click",function(ev){if(!exporting(ev))return;
function fallback(){box.select();document.execCommand("copy");}
if(navigator.clipboard){navigator.clipboard.writeText(box.value).catch(fallback);}else{fallback();}});
tool.hidden=false;}
window.addEventListener("beforeunload",function(ev){if(dirty>0){ev.preventDefault();ev.returnValue="";return "";}});
window.addEventListener("storage",function(){flags.forEach(render);refresh();});
function centre(){Array.prototype.slice.call(document.querySelectorAll(".excerpt .scroll")).forEach(function(sc){
var hits=sc.querySelectorAll("td.hit");if(!hits.length||sc.scrollWidth<=sc.clientWidth)return;
var lo=Infinity,hi=0;Array.prototype.forEach.call(hits,function(h){lo=Math.min(lo,h.offsetLeft);
hi=Math.max(hi,h.offsetLeft+h.offsetWidth);});
sc.scrollLeft=Math.max(0,hi-lo<=sc.clientWidth?lo-(sc.clientWidth-(hi-lo))/2:lo-4);});}
centre();window.addEventListener("resize",centre);
window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true;});});
refresh();})();"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'"
