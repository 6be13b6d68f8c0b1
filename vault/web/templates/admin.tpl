% head = '<noscript><meta http-equiv="refresh" content="' + str(refresh * 2) + '"></noscript><script src="/static/admin.js" defer></script>'
% rebase('base', title='Administration', site=site, visitor=visitor, head=head)
% live = {row['id']: row for row in stations}
% fields = ('frames', 'reads', 'rejected', 'lost', 'backlog', 'last_read_at', 'reported_at')
<h1>{{_("Administration")}}</h1>
<nav class="admin-nav"><a href="/admin/users">{{_("Users")}}</a></nav>
<section aria-labelledby="site-heading">
<h2 id="site-heading">{{_("Site")}}</h2>
<dl class="settings" id="settings">
<dt>{{_("Site name")}}</dt><dd id="site-name">{{settings['site_name']}}</dd>
<dt>{{_("GS1 company prefix")}}</dt><dd id="gs1-prefix">{{settings['gs1_company_prefix'] or _("not set")}}</dd>
<dt>{{_("Time zone")}}</dt><dd id="timezone">{{settings['timezone'] or _("this computer's")}}</dd>
<dt>{{_("Database")}}</dt><dd id="database"><code>{{settings['database']}}</code></dd>
<dt>{{_("Opening time")}}</dt><dd id="opening-time">{{settings['opening_time'] or _("not set")}}</dd>
<dt>{{_("Closing time")}}</dt><dd id="closing-time">{{settings['closing_time'] or _("not set")}}</dd>
</dl>
<p class="quiet">{{_("The alarm for folders still outside the warehouse at closing time is not built yet; it will use the closing time above.")}}</p>
</section>
<section aria-labelledby="stations-heading">
<h2 id="stations-heading">{{_("Stations")}}</h2>
<p id="live" class="quiet" data-refresh="{{refresh}}" data-lost="{{_('Connection to Vault lost; retrying…')}}" data-live="{{_('Live: the figures refresh every {seconds} seconds.', seconds=refresh)}}">{{_("Health as the bridge last reported it; this page refreshes itself.")}}</p>
<div class="wide">
<table class="admin stations" id="station-table">
<thead><tr><th>{{_("Station")}}</th><th>{{_("Kind")}}</th><th>{{_("Port")}}</th><th>{{_("Baud")}}</th><th>{{_("Protocol")}}</th><th>{{_("Options")}}</th><th>{{_("Heartbeat")}}</th><th>{{_("Repeat window")}}</th><th>{{_("Status")}}</th><th>{{_("Detail")}}</th><th>{{_("frames")}}</th><th>{{_("reads")}}</th><th>{{_("rejected")}}</th><th>{{_("lost")}}</th><th>{{_("backlog")}}</th><th>{{_("last read")}}</th><th>{{_("Reported at")}}</th></tr></thead>
<tbody>
% for s in config_stations:
% h = live[s.id]
<tr class="station-row {{h['status']}}" data-station="{{s.id}}">
<td class="id">{{s.id}}</td><td>{{_(s.kind.value)}}</td><td><code>{{s.port}}</code></td><td>{{s.baud}}</td><td>{{s.protocol}}</td><td><code>{{options_text(s.options)}}</code></td>
<td>{{f"{s.heartbeat:g} s" if s.heartbeat else _("off")}}</td><td>{{f"{s.repeat_window:g} s"}}</td>
<td data-field="status_shown">{{h['status_shown']}}</td><td data-field="detail_shown">{{h['detail_shown']}}</td>
% for f in fields:
<td data-field="{{f}}">{{h[f]}}</td>
% end
</tr>
% end
</tbody>
</table>
</div>
% if not config_stations:
<p class="quiet" id="no-stations">{{_("No stations are configured.")}}</p>
% end
% if portals:
<h3>{{_("Portals")}}</h3>
<table class="admin portals" id="portal-table">
<thead><tr><th>{{_("Portal")}}</th><th>{{_("Kind")}}</th><th>{{_("Inside reader")}}</th><th>{{_("Outside reader")}}</th><th>{{_("Window")}}</th><th>{{_("Status")}}</th><th>{{_("reads")}}</th><th>{{_("last read")}}</th></tr></thead>
<tbody>
% for p in portals:
% h = live[p.id]
<tr class="station-row {{h['status']}}" data-station="{{p.id}}">
<td class="id">{{p.id}}</td><td>{{_(p.kind.value)}}</td><td>{{p.inside}}</td><td>{{p.outside}}</td><td>{{f"{p.window:g} s"}}</td>
<td data-field="status_shown">{{h['status_shown']}}</td><td data-field="reads">{{h['reads']}}</td><td data-field="last_read_at">{{h['last_read_at']}}</td>
</tr>
% end
</tbody>
</table>
% end
</section>
<section aria-labelledby="stocks-heading">
<h2 id="stocks-heading">{{_("Label stocks")}}</h2>
<table class="admin stocks" id="stock-table">
<thead><tr><th>{{_("Name")}}</th><th>{{_("Source")}}</th><th>{{_("Page")}}</th><th>{{_("Labels across × down")}}</th><th>{{_("Label size")}}</th><th>{{_("In use")}}</th></tr></thead>
<tbody>
% for k in stocks:
<tr class="stock{{' in-use' if k['in_use'] else ''}}">
<td>{{k['name']}}</td><td>{{_(k['source'])}}</td>
% if k['error']:
<td colspan="3" class="error">{{k['error']}}</td>
% else:
<td>{{k['page']}}</td><td>{{k['grid']}}</td><td>{{k['label']}}</td>
% end
<td>{{_("in use") if k['in_use'] else ''}}</td>
</tr>
% end
</tbody>
</table>
</section>
<section aria-labelledby="file-heading">
<h2 id="file-heading">{{_("Configuration file")}}</h2>
<p><code id="config-path">{{settings['path']}}</code></p>
<p>{{_("Stations, portals, label stocks, the opening hours and the site's name and GS1 prefix are set in this file. Vault reads it when it starts: restart `vault serve` and `vault bridge` after changing it.")}}</p>
</section>
