% from urllib.parse import quote, urlencode
% rebase('base', title='Folder', site=site, visitor=visitor)
% f = folder
<h1><span class="code">{{f['code']}}</span> <span class="title" id="folder-title">{{f['title']}}</span></h1>
% if can_search:
<nav class="register-nav"><a href="/register">{{_("Register")}}</a> <a href="/register/outside">{{_("Outside the warehouse now")}}</a> <a href="/register/overdue">{{_("Overdue")}}</a></nav>
% end
<section id="place" class="place">
<h2>{{_("Where it is now")}}</h2>
<dl>
<dt>{{_("State")}}</dt><dd class="state">{{_(place['state'])}}</dd>
% if place['holder']:
<dt>{{_("Holder")}}</dt><dd class="holder">{{place['holder']}}</dd>
% end
<dt>{{_("Shelf location")}}</dt><dd class="location">{{place['home']}}</dd>
<dt>{{_("Classification")}}</dt><dd class="marking">{{f['marking'] or _(f['classification'])}}</dd>
% if place.get('last_at'):
<dt>{{_("Last read")}}</dt><dd class="last">{{place['last_at']}} · {{place['last_station']}} · {{_(place['last_kind'])}}</dd>
% end
% if place['request']:
% r = place['request']
<dt>{{_("Approved request")}}</dt><dd class="request">{{r['reader']}} · {{r['valid_from']}} – {{r['valid_until']}}</dd>
% end
</dl>
</section>
<section id="labels">
<h2>{{_("Label history")}}</h2>
% if labels:
<table class="labels">
<thead><tr><th>{{_("Generation")}}</th><th>{{_("Barcode")}}</th><th>{{_("Printed")}}</th><th>{{_("Valid")}}</th></tr></thead>
<tbody>
% for l in labels:
<tr class="label {{'valid' if l['valid'] else 'void'}}"><td>{{l['generation']}}</td><td class="code">{{l['barcode']}}</td><td class="time">{{l['printed_at']}}</td><td>{{_("valid") if l['valid'] else _("void")}}</td></tr>
% end
</tbody>
</table>
% else:
<p class="quiet">{{_("No label has been printed for this folder.")}}</p>
% end
</section>
<section id="timeline">
<h2>{{_("Custody timeline")}} <span class="quiet">({{_("{count} events", count=event_count)}})</span></h2>
% if events:
<table class="timeline">
<thead><tr><th>{{_("Time")}}</th><th>{{_("Event")}}</th><th>{{_("Station")}}</th><th>{{_("Person")}}</th><th>{{_("State after")}}</th><th>{{_("Read")}}</th></tr></thead>
<tbody>
% for e in events:
<tr class="event" data-event-id="{{e['id']}}" data-kind="{{e['kind']}}">
<td class="time">{{e['at']}}</td>
<td class="kind">{{_(e['kind'])}}</td>
<td class="station">{{e['station']}} <span class="quiet">{{_(e['station_kind'])}}</span></td>
<td class="person">{{e['person']}}</td>
<td class="state">{{_(e['state_after'])}}</td>
<td class="code">{{e['read']}}</td>
</tr>
% end
</tbody>
</table>
% else:
<p class="quiet" id="no-events">{{_("Nothing has been read of this folder yet.")}}</p>
% end
% if next_before is not None:
<p><a id="older" href="/folders/{{quote(f['code'], safe='')}}?{{urlencode({'before': next_before})}}">{{_("Older events")}}</a></p>
% end
</section>
