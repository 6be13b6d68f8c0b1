% import json
% from html import escape
% from vault.domain import access
% from vault.domain.model import AlarmRule, Severity, StationKind
% csrf = visitor.csrf
% rebase('base', title='Alarm board', site=site, visitor=visitor, head='<meta name="csrf" content="' + escape(csrf) + '"><meta name="kiosk" content="' + ('1' if visitor.kiosk else '') + '"><noscript><meta http-equiv="refresh" content="5"></noscript><script src="/static/live.js" defer></script><script src="/static/board.js" defer></script>')
% terms = [*AlarmRule, *Severity, *StationKind, "connected", "disconnected", "offline", "unknown"]
<div id="board" data-terms="{{json.dumps({str(t): _(str(t)) for t in terms}, ensure_ascii=False)}}"
 data-your-name="{{_('Your name')}}" data-note="{{_('What was done')}}" data-acknowledge="{{_('Acknowledge')}}"
 data-live="{{_('Live')}}" data-lost="{{_('Connection to Vault lost; reconnecting…')}}"
 data-armed="{{_('Alarm tone armed')}}" data-frames="{{_('frames')}}" data-reads="{{_('reads')}}"
 data-rejected="{{_('rejected')}}" data-backlog="{{_('backlog')}}" data-last-read="{{_('last read')}}">
% if error:
<p class="error" role="alert">{{_(error)}}</p>
% end
<p class="tone-controls"><button type="button" id="arm-tone" hidden>{{_("Arm the alarm tone for this shift")}}</button>
<button type="button" id="silence" hidden>{{_("Silence the tone")}}</button>
<span id="tone-state" class="quiet" aria-live="polite"></span>
% if access.allowed(visitor.role, 'alarm_history'):
<a class="history-link" href="/alarms/history">{{_("Alarm history")}}</a>
% end
</p>
<p id="live" class="live">{{_("Live updates start when scripts run; without them this page refreshes every 5 seconds.")}}</p>
<section aria-labelledby="alarms-heading">
<h1 id="alarms-heading">{{_("Open alarms")}} <span id="alarm-count" class="count">{{len(alarms)}}</span></h1>
<table class="alarms">
<thead><tr><th>{{_("Time")}}</th><th>{{_("Severity")}}</th><th>{{_("Alarm")}}</th><th>{{_("Folder")}}</th><th>{{_("Title")}}</th><th>{{_("Classification")}}</th><th>{{_("Station")}}</th><th>{{_("Last holder")}}</th><th>{{_("Why")}}</th><th>{{_("Acknowledge")}}</th></tr></thead>
<tbody id="alarm-rows">
% for a in alarms:
<tr class="alarm {{a['severity']}}" data-alarm-id="{{a['id']}}" data-severity="{{a['severity']}}">
<td class="time">{{a['at']}}</td>
<td class="severity">{{_(a['severity'])}}</td>
<td class="rule">{{_(a['rule'])}}</td>
<td class="code">{{a['code']}}</td>
<td class="title">{{a['title']}}</td>
<td class="marking">{{a['marking'] or _(a['classification'])}}</td>
<td class="station">{{a['station']}}</td>
<td class="holder">{{a['holder']}}</td>
<td class="reason">{{_(a['reason'])}}</td>
<td><form method="post" action="/alarms/{{a['id']}}/ack" class="ack">
<input type="hidden" name="csrf" value="{{csrf}}">
% if visitor.kiosk:
<input name="by" required placeholder="{{_('Your name')}}" aria-label="{{_('Your name')}} ({{a['id']}})">
% end
<input name="note" required placeholder="{{_('What was done')}}" aria-label="{{_('What was done')}} ({{a['id']}})">
<button type="submit">{{_("Acknowledge")}}</button></form></td>
</tr>
% end
</tbody>
</table>
<p id="no-alarms" class="quiet" {{!'hidden' if alarms else ''}}>{{_("No open alarms.")}}</p>
</section>
<section aria-labelledby="stations-heading">
<h2 id="stations-heading">{{_("Stations")}}</h2>
<ul id="stations" class="stations">
% for s in stations:
<li class="station {{s['status']}}"><span class="id">{{s['id']}}</span> <span class="kind">{{_(s['kind'])}}</span> <span class="status">{{_(s['status'])}}</span> <span class="detail">{{_(s['detail'])}}</span>
<span class="figures">{{_('frames')}} {{s['frames']}} · {{_('reads')}} {{s['reads']}} · {{_('rejected')}} {{s['rejected']}} · {{_('backlog')}} {{s['backlog']}} · {{_('last read')}} {{s['last_read_at'] or '—'}}</span></li>
% end
</ul>
</section>
</div>
