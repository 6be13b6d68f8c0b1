% from html import escape
% csrf = visitor.csrf
% rebase('base', title='Alarm board', site=site, visitor=visitor, head='<meta name="csrf" content="' + escape(csrf) + '"><meta name="kiosk" content="' + ('1' if visitor.kiosk else '') + '"><noscript><meta http-equiv="refresh" content="5"></noscript><script src="/static/board.js" defer></script>')
% if error:
<p class="error" role="alert">{{error}}</p>
% end
<p id="live" class="live">Live updates start when scripts run; without them this page refreshes every 5 seconds.</p>
<section aria-labelledby="alarms-heading">
<h1 id="alarms-heading">Open alarms <span id="alarm-count" class="count">{{len(alarms)}}</span></h1>
<table class="alarms">
<thead><tr><th>Time</th><th>Alarm</th><th>Folder</th><th>Title</th><th>Classification</th><th>Station</th><th>Last holder</th><th>Why</th><th>Acknowledge</th></tr></thead>
<tbody id="alarm-rows">
% for a in alarms:
<tr class="alarm {{a['severity']}}" data-alarm-id="{{a['id']}}">
<td class="time">{{a['at']}}</td>
<td class="rule">{{a['rule']}}</td>
<td class="code">{{a['code']}}</td>
<td class="title">{{a['title']}}</td>
<td class="marking">{{a['marking'] or a['classification']}}</td>
<td class="station">{{a['station']}}</td>
<td class="holder">{{a['holder']}}</td>
<td class="reason">{{a['reason']}}</td>
<td><form method="post" action="/alarms/{{a['id']}}/ack" class="ack">
<input type="hidden" name="csrf" value="{{csrf}}">
% if visitor.kiosk:
<input name="by" required placeholder="Your name" aria-label="Your name, for alarm {{a['id']}}">
% end
<input name="note" required placeholder="What was done" aria-label="Note for alarm {{a['id']}}">
<button type="submit">Acknowledge</button></form></td>
</tr>
% end
</tbody>
</table>
<p id="no-alarms" class="quiet" {{!'hidden' if alarms else ''}}>No open alarms.</p>
</section>
<section aria-labelledby="stations-heading">
<h2 id="stations-heading">Stations</h2>
<ul id="stations" class="stations">
% for s in stations:
<li class="station {{s['status']}}"><span class="id">{{s['id']}}</span> <span class="kind">{{s['kind']}}</span> <span class="status">{{s['status']}}</span> <span class="detail">{{s['detail']}}</span></li>
% end
</ul>
</section>
