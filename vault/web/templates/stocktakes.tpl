% rebase('base', title='Stocktakes', site=site, visitor=visitor)
<h1>{{_("Stocktakes")}}</h1>
% if error:
<p class="error" role="alert" id="stocktake-error">{{_(error)}}</p>
% end
% if can_open:
<section aria-labelledby="open-heading">
<h2 id="open-heading">{{_("Open a stocktake")}}</h2>
<form method="post" action="/stocktakes" class="open-stocktake" id="open-stocktake">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
<label>{{_("Scope")}} <select name="scope" id="scope">
% for scope, label in scopes:
<option value="{{scope}}" {{!'selected' if scope == sent.get('scope') else ''}}>{{_(label)}}</option>
% end
</select></label>
<label>{{_("Room or shelves")}} <input name="value" id="scope-value" value="{{sent.get('value', '')}}" placeholder="A · A-01-01..A-03-09" autocapitalize="characters" spellcheck="false"></label>
<button type="submit">{{_("Open the stocktake")}}</button>
</form>
<p class="quiet">{{_("The list of folders expected is frozen when the stocktake opens: folders that move during the count do not change it. A room is a location prefix (A); shelves are a range, first and last included (A-01-01..A-03-09).")}}</p>
</section>
% end
<table class="folders stocktakes" id="stocktake-list">
<thead><tr><th>{{_("Stocktake")}}</th><th>{{_("Scope")}}</th><th>{{_("Opened")}}</th><th>{{_("Opened by")}}</th><th>{{_("Closed")}}</th><th>{{_("Folders expected")}}</th><th>{{_("Reads")}}</th></tr></thead>
<tbody>
% for s in stocktakes:
<tr data-stocktake="{{s['id']}}"><td><a href="/stocktakes/{{s['id']}}">{{s['id']}}</a></td><td>{{_(s['scope'])}}</td><td>{{when(s['opened_at'])}}</td><td>{{s['opened_by']}}</td>
<td>{{when(s['closed_at']) + ' ' + s['closed_by'] if s['closed_at'] else _("open")}}</td><td>{{"—" if s["expected"] is None else s["expected"]}}</td><td>{{"—" if s["reads"] is None else s["reads"]}}</td></tr>
% end
</tbody>
</table>
% if not stocktakes:
<p class="quiet">{{_("No stocktake yet.")}}</p>
% end
