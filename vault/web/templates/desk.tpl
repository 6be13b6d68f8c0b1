% from html import escape
% rebase('base', title='Desk', site=site, visitor=visitor, head='<meta name="csrf" content="' + escape(visitor.csrf) + '"><script src="/static/live.js" defer></script><script src="/static/desk.js" defer></script>')
% if not station:
<h1>{{_("Desk")}}</h1>
<p class="error" role="alert">{{_("No reading-room desk station is configured: add a station of kind reading_desk.")}}</p>
% else:
<section id="desk" class="desk" data-station="{{station}}" data-can-scan="{{'1' if can_scan else ''}}"
 data-accepted="{{_('Accepted')}}" data-refused="{{_('Refused')}}" data-serial="{{_('serial scanner')}}"
 data-serving="{{_('Serving reader')}}" data-any-reader="{{_('any reader (the approved one)')}}"
 data-live="{{_('Live')}}" data-lost="{{_('Connection to Vault lost; reconnecting…')}}"
 data-holder="{{_('holder')}}" data-failed="{{_('Vault did not answer: scan again')}}">
<h1>{{_("Desk")}} <span class="station-id">{{station}}</span></h1>
% if len(stations) > 1:
<nav class="desk-stations" aria-label="{{_('Desk stations')}}">
% for s in stations:
<a href="/desk?station={{s}}" {{!'aria-current="page"' if s == station else ''}}>{{s}}</a>
% end
</nav>
% end
% if can_scan:
<form id="scan-form" class="scan" method="post" action="/api/desk/scan" autocomplete="off">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
<input type="hidden" name="station" value="{{station}}">
<label for="reader">{{_("Reader")}}</label>
<select id="reader" name="reader">
<option value="">{{_("any reader (the approved one)")}}</option>
% for r in readers:
<option value="{{r}}">{{r}}</option>
% end
</select>
<label for="scan">{{_("Scan")}}</label>
<input id="scan" name="code" autofocus autocomplete="off" autocapitalize="none" spellcheck="false" aria-describedby="scan-help">
<button type="submit">{{_("Scan")}}</button>
</form>
<form id="witness-form" class="witness" method="post" action="/api/desk/scan" autocomplete="off" hidden>
<p id="witness-why" class="quiet">{{_("This folder is issued only when a second member of staff confirms: they type their own username and password here.")}}</p>
<label for="witness">{{_("Second member of staff")}}</label>
<input id="witness" name="witness" autocomplete="off" autocapitalize="none" spellcheck="false">
<label for="witness-password">{{_("Password")}}</label>
<input id="witness-password" name="witness_password" type="password" autocomplete="off">
<button type="submit">{{_("Confirm and issue")}}</button>
<button type="button" id="witness-cancel">{{_("Cancel")}}</button>
</form>
<p id="scan-help" class="quiet">{{_("Scan a folder's label to issue it to the reader, and again to take it back. A reader's card carries READER: and the name (READER:张华); scanning it serves that reader.")}}</p>
<noscript><p class="error">{{_("The desk needs scripts to answer scans.")}}</p></noscript>
% else:
<p class="quiet">{{_("You are watching this desk; only archivists scan.")}}</p>
% end
<p id="desk-live" class="live">{{_("The serial scanner's scans appear here when scripts run.")}}</p>
<ol id="answers" class="answers" aria-live="polite"></ol>
</section>
% end
