% from urllib.parse import quote
% rebase('base', title='Requests', site=site, visitor=visitor)
<h1>{{_("Requests")}}</h1>
<nav class="request-filter" aria-label="{{_('Show requests')}}">
<a href="/requests" {{!'aria-current="page"' if not status else ''}}>{{_("All")}}</a>
% if leader:
<a href="/requests?status=mine" id="mine" {{!'aria-current="page"' if status == 'mine' else ''}}>{{_("Waiting for my approval")}}</a>
% end
% for key, shown in statuses.items():
<a href="/requests?status={{key}}" {{!'aria-current="page"' if status == key else ''}}>{{_(shown)}}</a>
% end
% if visitor.role == 'archivist':
<a href="/requests/new" id="new-request">{{_("New request")}}</a>
% end
</nav>
% if rows:
<table class="requests" id="request-table">
<thead><tr><th>{{_("Request")}}</th><th>{{_("Reader")}}</th><th>{{_("Folders")}}</th><th>{{_("Purpose")}}</th><th>{{_("Valid dates")}}</th><th>{{_("Status")}}</th></tr></thead>
<tbody>
% for r in rows:
<tr class="request {{r['status']}}" data-request-id="{{r['id']}}">
<td><a href="/requests/{{r['id']}}">{{r['id']}}</a></td>
<td class="reader">{{r['reader']}}</td>
<td class="codes">
% for code in r['codes']:
<a href="/folders/{{quote(code)}}" class="code">{{code}}</a>
% end
</td>
<td>{{r['purpose']}}</td>
<td class="dates">{{r['valid_from']}} – {{r['valid_until']}}</td>
<td class="status">{{_(statuses[r['status']])}}</td>
</tr>
% end
</tbody>
</table>
% else:
<p class="quiet" id="no-requests">{{_("No request to show.")}}</p>
% end
