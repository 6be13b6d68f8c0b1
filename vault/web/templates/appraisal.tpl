% from urllib.parse import urlencode
% from vault.domain.access import allowed
% rebase('base', title='Folders due for appraisal', site=site, visitor=visitor)
% can_batch = allowed(visitor.role, 'destruction_new')
<h1>{{_("Folders due for appraisal")}}</h1>
<nav class="register-nav"><a href="/destructions">{{_("Retention and destruction")}}</a> <a href="/holds">{{_("Holds")}}</a> {{_("Download")}}: <a class="export" id="appraisal-csv" href="/appraisal?format=csv">CSV</a> <a class="export" id="appraisal-pdf" href="/appraisal?format=pdf">PDF</a></nav>
<p class="count" id="due-count">{{_("{n} folders are due for appraisal.", n=count)}}</p>
<p class="quiet">{{_("A folder held, or asked for by an open request, cannot be destroyed until that ends. A destruction needs the approval of {n} members of the archives leading group.", n=needed)}}</p>
% if can_batch:
<form method="post" action="/destructions" id="batch-from-list">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
% end
<table class="folders" id="due">
<thead><tr>{{!'<th>' + _("Choose") + '</th>' if can_batch else ''}}<th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Classification")}}</th><th>{{_("Retention")}}</th><th>{{_("Due for appraisal")}}</th><th>{{_("Held")}}</th><th>{{_("Destruction batch")}}</th></tr></thead>
<tbody>
% for r in rows:
<tr data-code="{{r['code']}}" class="{{'blocked' if r['blocked'] else ''}}">
% if can_batch:
% if r['blocked'] or r['batch']:
<td></td>
% else:
<td><input type="checkbox" name="code" value="{{r['code']}}" aria-label="{{r['code']}}"></td>
% end
% end
<td class="code"><a href="/folders/{{r['code']}}">{{r['code']}}</a></td><td class="title">{{r['title']}}</td><td>{{r['marking']}}</td><td>{{r['retention']}}</td><td>{{r['appraisal_on']}}</td><td class="blocked">{{_(r['blocked']) if r['blocked'] else ''}}</td><td>{{!'<a href="/destructions/%d">%d</a>' % (r['batch'], r['batch']) if r['batch'] else ''}}</td></tr>
% end
</tbody>
</table>
% if not rows:
<p class="quiet" id="none-due">{{_("No folder is due for appraisal.")}}</p>
% end
% if next_after is not None:
<p><a id="next" href="/appraisal?{{urlencode({'after': next_after})}}">{{_("Next page")}}</a></p>
% end
% if can_batch and rows:
<fieldset><legend>{{_("New destruction batch of the folders chosen")}}</legend>
<label>{{_("Reason")}} <input name="reason" value="{{_('retention period expired')}}" required></label>
<label>{{_("Destruction site")}} <input name="site" required></label>
<label>{{_("Supervisors (one per line)")}} <textarea name="supervisors" rows="2" required></textarea></label>
<label><input type="checkbox" name="all_due" value="1"> {{_("Every folder due for appraisal that nothing holds")}}</label>
<button type="submit">{{_("Make the batch")}}</button>
</fieldset>
% end
% if can_batch:
</form>
% end
% if unreadable:
<h2 id="unreadable-heading">{{_("Retention periods nobody can read")}}</h2>
<p class="quiet">{{_("These folders have no appraisal date until their retention period is corrected.")}}</p>
<table class="folders" id="unreadable">
<thead><tr><th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Retention")}}</th></tr></thead>
<tbody>
% for r in unreadable:
<tr data-code="{{r['code']}}"><td class="code"><a href="/folders/{{r['code']}}">{{r['code']}}</a></td><td class="title">{{r['title']}}</td><td>{{r['retention']}}</td></tr>
% end
</tbody>
</table>
% end
