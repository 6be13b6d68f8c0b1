% from urllib.parse import urlencode
% rebase('base', title='Alarm history', site=site, visitor=visitor)
<h1>{{_("Alarm history")}}</h1>
<p><a href="/alarms">{{_("Back to the alarm board")}}</a></p>
% if error:
<p class="error" role="alert">{{_(error)}}</p>
% end
<form method="get" action="/alarms/history" class="history-search" role="search">
<label>{{_("Search")}} <input name="q" value="{{query.text}}" placeholder="{{_('folder code, title, note or who')}}"></label>
<label>{{_("Alarm")}} <select name="rule">
<option value="">{{_("any")}}</option>
% for rule in rules:
<option value="{{rule}}" {{!'selected' if rule == query.rule else ''}}>{{_(rule)}}</option>
% end
</select></label>
<label>{{_("From")}} <input type="date" name="from" value="{{query.start or ''}}"></label>
<label>{{_("To")}} <input type="date" name="to" value="{{query.end or ''}}"></label>
<button type="submit">{{_("Search")}}</button>
<a class="export" href="/alarms/history?{{urlencode(filters | {'format': 'csv'})}}">{{_("Export CSV")}}</a>
</form>
<table class="alarms history">
<thead><tr><th>{{_("Time")}}</th><th>{{_("Severity")}}</th><th>{{_("Alarm")}}</th><th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Classification")}}</th><th>{{_("Station")}}</th><th>{{_("Why")}}</th><th>{{_("Acknowledged")}}</th><th>{{_("By")}}</th><th>{{_("Note")}}</th></tr></thead>
<tbody>
% for a in rows:
<tr class="alarm {{a['severity']}}" data-alarm-id="{{a['id']}}">
<td class="time">{{a['at']}}</td>
<td class="severity">{{_(a['severity'])}}</td>
<td class="rule">{{_(a['rule'])}}</td>
<td class="code">{{a['code']}}</td>
<td class="title">{{a['title']}}</td>
<td class="marking">{{a['marking'] or _(a['classification'])}}</td>
<td class="station">{{a['station']}}</td>
<td class="reason">{{_(a['reason'])}}</td>
<td class="time">{{a['acknowledged_at']}}</td>
<td class="by">{{a['acknowledged_by']}}</td>
<td class="note">{{_(a['note'])}}</td>
</tr>
% end
</tbody>
</table>
% if not rows:
<p class="quiet" id="no-history">{{_("No acknowledged alarms match.")}}</p>
% end
% if searched_to:
<p class="quiet" id="searched-to">{{_("This page looked back to alarm {n}; the older ones are searched on the next page.", n=searched_to)}}</p>
% end
% if next_before:
<p><a id="older" href="/alarms/history?{{urlencode(filters | {'before': next_before})}}">{{_("Older alarms")}}</a></p>
% end
