% from urllib.parse import quote
<table class="folders">
<thead><tr><th>{{_("Code")}}</th><th>{{_("Title")}}</th><th>{{_("Classification")}}</th><th>{{_("Location")}}</th><th>{{_("State")}}</th><th>{{_("Holder")}}</th>
% if 'last' in extra:
<th>{{_("Last read")}}</th><th>{{_("Station")}}</th><th>{{_("Event")}}</th>
% end
% if 'due' in extra:
<th>{{_("Request valid until")}}</th><th>{{_("Why")}}</th>
% end
</tr></thead>
<tbody>
% for f in rows:
<tr class="folder" data-code="{{f['code']}}">
<td class="code"><a href="/folders/{{quote(f['code'], safe='')}}">{{f['code']}}</a></td>
<td class="title">{{f['title']}}</td>
<td class="marking">{{f['marking'] or _(f['classification'])}}</td>
<td class="location">{{f['location']}}</td>
<td class="state">{{_(f['state'])}}</td>
<td class="holder">{{f['holder']}}</td>
% if 'last' in extra:
<td class="time">{{f.get('last_at', '')}}</td>
<td class="station">{{f.get('last_station', '')}}</td>
<td class="kind">{{_(f.get('last_kind', ''))}}</td>
% end
% if 'due' in extra:
<td class="time">{{f['valid_until']}}</td>
<td class="reason">{{_("no approved request") if f['reason'] == 'no_request' else _("the request has ended")}}</td>
% end
</tr>
% end
</tbody>
</table>
