% from urllib.parse import quote
% rebase('base', title='Request', site=site, visitor=visitor)
% r = request
% duties = {'leader': 'leader', 'head': 'head of the unit'}
<h1>{{_("Request")}} {{r['id']}} <span class="status" id="request-status">{{_(statuses[r['status']])}}</span></h1>
<nav class="request-nav"><a href="/requests">{{_("Requests")}}</a></nav>
% if error:
<p class="error" role="alert" id="request-error">{{_(error)}}</p>
% end
% if done:
<p class="done" role="status" id="request-done">{{_(done, id=r['id'])}}</p>
% end
<dl class="request-facts">
<dt>{{_("Reader")}}</dt><dd class="reader">{{r['reader']}}</dd>
<dt>{{_("Purpose")}}</dt><dd>{{r['purpose']}}</dd>
<dt>{{_("Valid dates")}}</dt><dd class="dates">{{r['valid_from']}} – {{r['valid_until']}}</dd>
<dt>{{_("Recorded by")}}</dt><dd>{{r['created_by']}} {{when(r['created_at'])}}</dd>
% if r['withdrawn_at']:
<dt>{{_("Withdrawn")}}</dt><dd>{{when(r['withdrawn_at'])}}</dd>
% end
</dl>
% if r['letter']:
% l = r['letter']
<section id="letter" class="letter">
<h2>{{_("Introduction letter")}}</h2>
<dl>
<dt>{{_("Unit")}}</dt><dd class="unit">{{l.unit}}</dd>
<dt>{{_("Letter number")}}</dt><dd class="number">{{l.number}}</dd>
<dt>{{_("Letter date")}}</dt><dd>{{l.issued_on}}</dd>
<dt>{{_("Letter valid until")}}</dt><dd class="letter-until">{{l.valid_until}}</dd>
<dt>{{_("Covers")}}</dt><dd class="covers">{{'; '.join(r['letter_covers'])}}</dd>
<dt>{{_("Seal confirmed by")}}</dt><dd class="seal">{{l.seal_confirmed_by}}</dd>
</dl>
</section>
% end
<section id="folders">
<h2>{{_("Folders")}}</h2>
<table class="request-folders">
<thead><tr><th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Classification")}}</th><th>{{_("Approvals")}}</th><th>{{_("Status")}}</th></tr></thead>
<tbody>
% for f in r['folders']:
<tr class="folder {{f.status}}" data-code="{{f.code}}">
<td><a href="/folders/{{quote(f.code)}}" class="code">{{f.code}}</a></td>
<td>{{f.title}}</td>
<td>{{_(f.classification)}}</td>
<td class="signoffs">
% for s in f.signoffs:
<span class="signoff {{'approved' if s.approved else 'refused'}}">{{s.approver}} ({{_(duties[s.duty.value])}}): {{_("approved") if s.approved else _("refused")}}</span>
% end
</td>
<td class="folder-status"><strong>{{_(statuses[f.status])}}</strong>
% if f.needs:
<br><span class="needs">{{_(f.needs)}}</span>
% end
% if f.letter_problem:
<br><span class="letter-problem">{{_(f.letter_problem)}}</span>
% end
% if f.closed:
<br><span class="closed">{{_("back in the warehouse")}}</span>
% end
</td>
</tr>
% end
</tbody>
</table>
</section>
<section id="decisions">
<h2>{{_("Decisions")}}</h2>
% if r['decisions']:
<ol class="decisions">
% for d in r['decisions']:
<li class="decision {{'approved' if d['approved'] else 'refused'}}"><strong>{{d['approver']}}</strong> ({{_(duties[d['duty']])}}) {{_("approved") if d['approved'] else _("refused")}} {{', '.join(d['codes'])}} · {{when(d['at'])}}
<blockquote class="opinion">{{d['opinion']}}</blockquote></li>
% end
</ol>
% else:
<p class="quiet">{{_("No leader has decided yet.")}}</p>
% end
</section>
% if may_decide:
<section id="decide">
<h2>{{_("Your decision")}}</h2>
<form method="post" action="/requests/{{r['id']}}/approve" id="decide-form">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
<fieldset><legend>{{_("Folders this decision names")}}</legend>
% for f in r['folders']:
% on = ticked is None or f.code in ticked
<label><input type="checkbox" name="folder" value="{{f.code}}" {{!'checked' if on else ''}}> {{f.code}} {{f.title}}</label>
% end
</fieldset>
<label>{{_("Written opinion")}}<br><textarea name="opinion" rows="3" cols="50" required>{{opinion}}</textarea></label>
<button type="submit" name="decision" value="approve" id="approve">{{_("Approve the ticked folders")}}</button>
<button type="submit" name="decision" value="refuse" id="refuse">{{_("Refuse the ticked folders")}}</button>
</form>
</section>
% elif decided:
<p class="quiet" id="already-decided">{{_("You have decided on this request.")}}</p>
% end
% if may_withdraw:
<form method="post" action="/requests/{{r['id']}}/withdraw" id="withdraw-form">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
<button type="submit">{{_("Withdraw this request")}}</button>
</form>
% end
