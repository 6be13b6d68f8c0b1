% rebase('base', title='Stocktake', site=site, visitor=visitor)
% csrf = visitor.csrf
<h1>{{_("Stocktake {n}", n=stocktake.id)}}</h1>
<nav class="register-nav"><a href="/stocktakes">{{_("Stocktakes")}}</a>
{{_("Download")}}: <a class="export" id="stocktake-csv" href="/stocktakes/{{stocktake.id}}?format=csv">CSV</a> <a class="export" id="stocktake-pdf" href="/stocktakes/{{stocktake.id}}?format=pdf">PDF</a></nav>
% for line in headline:
<p class="report-line">{{line}}</p>
% end
% if error:
<p class="error" role="alert" id="stocktake-error">{{_(error)}}</p>
% end
<p id="totals" class="totals"><strong>{{totals}}</strong></p>
% if can_scan:
<section aria-labelledby="scan-heading" id="scan">
<h2 id="scan-heading">{{_("Scan")}}</h2>
<form method="post" action="/stocktakes/{{stocktake.id}}/scan" class="scan" id="scan-form" autocomplete="off">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="code">{{_("Scan a shelf label or a folder label")}}</label>
<input id="code" name="code" autofocus autocomplete="off" autocapitalize="none" spellcheck="false">
<button type="submit">{{_("Scan")}}</button>
</form>
<p class="quiet" id="current-shelf">{{_("Current shelf: {shelf}", shelf=shelf) if shelf else _("No shelf scanned yet: scan the shelf's label (LOC:A-03-02) first.")}}</p>
<details><summary>{{_("Paste many codes")}}</summary>
<form method="post" action="/stocktakes/{{stocktake.id}}/scan" class="paste" id="paste-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="codes">{{_("One code per line; shelf labels set the shelf for the codes after them.")}}</label><br>
<textarea id="codes" name="codes" rows="8" cols="40" spellcheck="false"></textarea><br>
<button type="submit">{{_("Record these codes")}}</button>
</form>
</details>
</section>
% end
% if latest:
<section aria-labelledby="latest-heading">
<h2 id="latest-heading">{{_("Latest reads")}}</h2>
<table class="folders" id="latest-reads">
<thead><tr><th>{{_("Time")}}</th><th>{{_("Read by")}}</th><th>{{_("Shelf")}}</th><th>{{_("Code")}}</th><th>{{_("Read as")}}</th></tr></thead>
<tbody>
% for r in latest:
<tr class="read {{r['kind']}}"><td>{{when(r['at'])}}</td><td>{{r['source']}}</td><td>{{r['shelf']}}</td><td class="code">{{r['code']}}</td><td>{{_(read_as[r['kind']])}}</td></tr>
% end
</tbody>
</table>
</section>
% end
% for category in categories:
% count = shown.counts[category]
% name = category.name.lower()
<section aria-labelledby="{{category.name.lower()}}-heading" id="{{category.name.lower()}}" class="result {{category.name.lower()}}">
<h2 id="{{category.name.lower()}}-heading">{{_(headings[category])}} <span class="count" id="{{category.name.lower()}}-count">{{count}}</span></h2>
% if count:
<table class="folders">
<thead><tr><th>{{_("Folder")}}</th><th>{{_("Classification")}}</th><th>{{_("Home shelf")}}</th><th>{{_("Found on")}}</th><th>{{_("State at opening")}}</th><th>{{_("Holder")}}</th><th>{{_("Note")}}</th><th>{{_("Explanation")}}</th></tr></thead>
<tbody>
% for row in rows(category):
<tr class="line{{' unexplained' if row['needs'] else ''}}" data-code="{{row['code']}}"><td class="code">{{row['code']}}</td><td>{{row['classification']}}</td><td>{{row['home']}}</td><td>{{row['found_on']}}</td><td>{{row['state']}}</td><td>{{row['holder']}}</td><td>{{row['note']}}</td>
<td>{{row['explanation']}}
% if can_explain and category.name == 'MISSING':
<form method="post" action="/stocktakes/{{stocktake.id}}/explain" class="explain"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="code" value="{{row['code']}}">
<input name="note" aria-label="{{_('Why it was not found')}}" placeholder="{{_('Why it was not found')}}" {{!'required' if row['needs'] else ''}}> <button type="submit">{{_("Explain")}}</button></form>
% end
</td></tr>
% end
</tbody>
</table>
% if count > shown_lines:
<p class="quiet">{{_("Only the first {n} rows are shown here; the CSV and PDF files have them all.", n=shown_lines)}}
% if category in shown.more:
<a class="more" id="{{name}}-more" href="{{more_link(category)}}">{{_("Next page")}}</a>
% end
</p>
% end
% end
</section>
% end
% if can_close:
<section aria-labelledby="close-heading">
<h2 id="close-heading">{{_("Close the stocktake")}}</h2>
% if shown.unexplained:
<p class="quiet">{{_("Every missing classified folder needs an explanation before the stocktake can close.")}}</p>
% end
<form method="post" action="/stocktakes/{{stocktake.id}}/close" id="close-form"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{_("Close the stocktake")}}</button></form>
</section>
% end
