% from vault.domain.access import allowed
% rebase('base', title='Holds', site=site, visitor=visitor)
% csrf = visitor.csrf
% can_hold = allowed(visitor.role, 'hold_place')
<h1>{{_("Holds")}}</h1>
<nav class="register-nav"><a href="/destructions">{{_("Retention and destruction")}}</a> <a href="/appraisal">{{_("Folders due for appraisal")}}</a></nav>
<p class="quiet">{{_("A held folder cannot be destroyed until the hold is lifted. A request still open for a folder holds it too.")}}</p>
% if error:
<p class="error" role="alert" id="hold-error">{{_(error)}}</p>
% end
% if holds:
<table class="folders" id="holds">
<thead><tr><th>{{_("Hold")}}</th><th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Reason")}}</th><th>{{_("Placed by")}}</th><th>{{_("Time")}}</th>{{!'<th>' + _("Lift") + '</th>' if can_hold else ''}}</tr></thead>
<tbody>
% for h in holds:
<tr data-hold="{{h['id']}}" data-code="{{h['code']}}"><td>{{h['id']}}</td><td class="code"><a href="/folders/{{h['code']}}">{{h['code']}}</a></td><td class="title">{{h['title']}}</td><td>{{h['reason']}}</td><td>{{h['placed_by']}}</td><td>{{when(h['placed_at'])}}</td>
% if can_hold:
<td><form method="post" action="/holds/{{h['id']}}/lift" class="lift"><input type="hidden" name="csrf" value="{{csrf}}"><input name="note" required placeholder="{{_("Why it is lifted")}}" aria-label="{{_("Why it is lifted")}}"><button type="submit">{{_("Lift")}}</button></form></td>
% end
</tr>
% end
</tbody>
</table>
% else:
<p class="quiet" id="no-holds">{{_("No folder is held.")}}</p>
% end
% if can_hold:
<section aria-labelledby="place-heading">
<h2 id="place-heading">{{_("Hold a folder")}}</h2>
<form method="post" action="/holds" id="place-hold" class="register-search">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>{{_("Folder code")}} <input name="code" value="{{sent.get('code', '')}}" required autocapitalize="none" spellcheck="false"></label>
<label>{{_("Reason")}} <input name="reason" value="{{sent.get('reason', '')}}" required></label>
<button type="submit">{{_("Place the hold")}}</button>
</form>
</section>
% end
