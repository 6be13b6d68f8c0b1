% from vault.domain.access import allowed
% rebase('base', title='Retention and destruction', site=site, visitor=visitor)
% csrf = visitor.csrf
<h1>{{_("Retention and destruction")}}</h1>
<nav class="register-nav"><a href="/appraisal" id="to-appraisal">{{_("Folders due for appraisal")}}</a> <a href="/holds" id="to-holds">{{_("Holds")}}</a> <a href="/releases">{{_("Data released to outside units")}}</a></nav>
% if error:
<p class="error" role="alert" id="destruction-error">{{_(error)}}</p>
% end
<h2>{{_("Destruction batches")}}</h2>
% if batches:
<table class="folders" id="batches">
<thead><tr><th>{{_("Batch")}}</th><th>{{_("Made")}}</th><th>{{_("Made by")}}</th><th>{{_("Reason")}}</th><th>{{_("Destruction site")}}</th><th>{{_("Folders")}}</th><th>{{_("Status")}}</th><th>{{_("Destroyed on")}}</th></tr></thead>
<tbody>
% for b in batches:
<tr data-batch="{{b['id']}}"><td><a href="/destructions/{{b['id']}}">{{b['id']}}</a></td><td>{{when(b['created_at'])}}</td><td>{{b['created_by']}}</td><td>{{b['reason']}}</td><td>{{b['site']}}</td><td>{{b['folders']}}</td><td class="status">{{_(b['status'])}}</td><td>{{b['destroyed_on'] or ''}}</td></tr>
% end
</tbody>
</table>
% else:
<p class="quiet" id="no-batches">{{_("No destruction batches yet.")}}</p>
% end
% if allowed(visitor.role, 'destruction_new'):
<section aria-labelledby="new-heading">
<h2 id="new-heading">{{_("New destruction batch")}}</h2>
<form method="post" action="/destructions" id="new-batch" class="register-search">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>{{_("Reason")}} <input name="reason" value="{{sent.get('reason') or _('retention period expired')}}" required></label>
<label>{{_("Destruction site")}} <input name="site" value="{{sent.get('site', '')}}" required></label>
<label>{{_("Supervisors (one per line)")}} <textarea name="supervisors" rows="3" required>{{sent.get('supervisors', '')}}</textarea></label>
<label>{{_("Folder codes")}} <textarea name="codes" rows="4">{{sent.get('codes', '')}}</textarea></label>
<label><input type="checkbox" name="all_due" value="1" {{!'checked' if sent.get('all_due') else ''}}> {{_("Every folder due for appraisal that nothing holds")}}</label>
<button type="submit">{{_("Make the batch")}}</button>
</form>
</section>
% end
