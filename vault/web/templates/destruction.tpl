% from vault.domain.access import allowed
% rebase('base', title='Destruction batch', site=site, visitor=visitor)
% csrf = visitor.csrf
% status = standing.status.value
<h1>{{_("Destruction batch {n}", n=batch.id)}}</h1>
<nav class="register-nav"><a href="/destructions">{{_("Retention and destruction")}}</a> <a href="/appraisal">{{_("Folders due for appraisal")}}</a> <a href="/holds">{{_("Holds")}}</a></nav>
% if error:
<p class="error" role="alert" id="destruction-error">{{_(error)}}</p>
% end
<section class="place" aria-label="{{_("Destruction batch")}}">
<dl>
<dt>{{_("Status")}}</dt><dd id="status" data-status="{{status}}">{{_(standing.text)}}</dd>
<dt>{{_("Reason")}}</dt><dd id="reason">{{batch.reason}}</dd>
<dt>{{_("Destruction site")}}</dt><dd id="site">{{batch.site}}</dd>
<dt>{{_("Supervisors")}}</dt><dd id="supervisors">{{", ".join(supervisors)}}</dd>
<dt>{{_("Made")}}</dt><dd>{{when(batch.created_at)}} · {{batch.created_by}}</dd>
% if destruction:
<dt>{{_("Destroyed on")}}</dt><dd id="destroyed-on">{{destruction.destroyed_on}}</dd>
<dt>{{_("Confirmed by")}}</dt><dd id="confirmed-by">{{destruction.confirmed_by}} · {{when(destruction.confirmed_at)}}</dd>
% if destruction.note:
<dt>{{_("Note")}}</dt><dd>{{destruction.note}}</dd>
% end
% end
</dl>
</section>
% if destruction:
<p><a id="certificate" href="/destructions/{{batch.id}}/certificate">{{_("Destruction certificate")}}</a> · <a id="certificate-pdf" href="/destructions/{{batch.id}}/certificate?format=pdf">PDF</a></p>
% end
<h2>{{_("Decisions of the archives leading group")}}</h2>
% if decisions:
<table class="folders" id="decisions">
<thead><tr><th>{{_("Leader")}}</th><th>{{_("Decision")}}</th><th>{{_("Opinion")}}</th><th>{{_("Time")}}</th></tr></thead>
<tbody>
% for d in decisions:
<tr class="decision" data-approver="{{d.approver}}"><td>{{d.approver}}</td><td>{{_("approved") if d.approved else _("refused")}}</td><td>{{d.opinion}}</td><td>{{when(d.at)}}</td></tr>
% end
</tbody>
</table>
% else:
<p class="quiet">{{_("No decisions yet.")}}</p>
% end
% editable = status == 'draft' and allowed(visitor.role, 'destruction_edit')
<h2>{{_("Folders")}} ({{len(folders)}})</h2>
% if editable:
<form method="post" action="/destructions/{{batch.id}}/edit" id="edit-batch">
<input type="hidden" name="csrf" value="{{csrf}}">
% end
<table class="folders" id="batch-folders">
<thead><tr>{{!'<th>' + _("Take out") + '</th>' if editable else ''}}<th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Year")}}</th><th>{{_("Classification")}}</th><th>{{_("Retention")}}</th><th>{{_("State")}}</th><th>{{_("Stops the destruction")}}</th></tr></thead>
<tbody>
% for f in folders:
<tr data-code="{{f['code']}}">
% if editable:
<td><input type="checkbox" name="remove" value="{{f['code']}}" aria-label="{{_("Take out")}} {{f['code']}}"></td>
% end
<td class="code"><a href="/folders/{{f['code']}}">{{f['code']}}</a></td><td class="title">{{f['title']}}</td><td>{{f['year'] or ''}}</td><td>{{f['marking']}}</td><td>{{f['retention']}}</td><td>{{_(f['state'])}}</td><td class="problem">{{_(f['problem']) if f['problem'] else ''}}</td></tr>
% end
</tbody>
</table>
% if editable:
<label>{{_("Add folders (codes)")}} <textarea name="add" rows="2">{{sent.get('add', '')}}</textarea></label>
<label>{{_("Reason")}} <input name="reason" value="{{sent.get('reason') or batch.reason}}" required></label>
<label>{{_("Destruction site")}} <input name="site" value="{{sent.get('site') or batch.site}}" required></label>
<label>{{_("Supervisors (one per line)")}} <textarea name="supervisors" rows="3" required>{{sent.get('supervisors') or batch.supervisors}}</textarea></label>
<button type="submit">{{_("Save the batch")}}</button>
</form>
<p class="quiet">{{_("Once a member of the leading group has decided, the batch can no longer be changed.")}}</p>
% end
% if status in ('draft', 'awaiting approvals', 'approved') and allowed(visitor.role, 'destruction_approve'):
<section aria-labelledby="decide-heading">
<h2 id="decide-heading">{{_("Your decision")}}</h2>
<form method="post" action="/destructions/{{batch.id}}/approve" id="decide">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>{{_("Opinion")}} <textarea name="opinion" rows="2" required>{{sent.get('opinion', '')}}</textarea></label>
<button type="submit" name="decision" value="approve" id="approve">{{_("Approve the destruction")}}</button>
<button type="submit" name="decision" value="refuse" id="refuse">{{_("Refuse")}}</button>
</form>
</section>
% end
% if status == 'approved' and allowed(visitor.role, 'destruction_confirm'):
<section aria-labelledby="confirm-heading">
<h2 id="confirm-heading">{{_("Confirm the destruction")}}</h2>
<p class="quiet">{{_("After the pulping, with the supervisors: every folder must still be on its shelf and not held.")}}</p>
<form method="post" action="/destructions/{{batch.id}}/confirm" id="confirm">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>{{_("Destroyed on")}} <input type="date" name="destroyed_on" value="{{sent.get('destroyed_on', '')}}" required></label>
<label>{{_("Note")}} <input name="note" value="{{sent.get('note', '')}}"></label>
<button type="submit">{{_("Confirm the destruction")}}</button>
</form>
</section>
% end
