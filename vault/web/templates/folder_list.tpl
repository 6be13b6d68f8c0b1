% from urllib.parse import urlencode
% title = 'Outside the warehouse now' if kind == 'outside' else 'Overdue'
% rebase('base', title=title, site=site, visitor=visitor)
<h1>{{_("Outside the warehouse now") if kind == 'outside' else _("Overdue")}}</h1>
<nav class="register-nav"><a href="/register">{{_("Register")}}</a> <a href="/register/outside">{{_("Outside the warehouse now")}}</a> <a href="/register/overdue">{{_("Overdue")}}</a> <a class="export" id="export" href="{{path}}?format=csv">{{_("Export CSV")}}</a></nav>
% if kind == 'overdue':
<p class="quiet">{{_("Folders out of the warehouse on no approved request, or on one that ended before today.")}}</p>
% end
% include('folder_rows', rows=page.rows, extra=('last', 'due') if kind == 'overdue' else ('last',))
% if not page.rows:
<p class="quiet" id="no-folders">{{_("None.")}}</p>
% end
% if page.next_after is not None:
<p><a id="next" href="{{path}}?{{urlencode({'after': page.next_after})}}">{{_("Next page")}}</a></p>
% end
