% from urllib.parse import urlencode
% rebase('base', title='Register', site=site, visitor=visitor)
<h1>{{_("Register")}}</h1>
<nav class="register-nav"><a href="/register/outside">{{_("Outside the warehouse now")}}</a> <a href="/register/overdue">{{_("Overdue")}}</a></nav>
% if error:
<p class="error" role="alert">{{_(error)}}</p>
% end
<form method="get" action="/register" class="register-search" role="search">
<label>{{_("Code begins with")}} <input name="code" value="{{filters.get('code', '')}}" autocomplete="off" spellcheck="false"></label>
<label>{{_("Title contains")}} <input name="title" value="{{filters.get('title', '')}}"></label>
<label>{{_("Classification")}} <select name="classification">
<option value="">{{_("any")}}</option>
% for c in classifications:
<option value="{{c}}" {{!'selected' if c == filters.get('classification') else ''}}>{{_(c)}}</option>
% end
</select></label>
<label>{{_("Location")}} <input name="location" value="{{filters.get('location', '')}}" placeholder="A-03"></label>
<label>{{_("State")}} <select name="state">
<option value="">{{_("any")}}</option>
% for s in states:
<option value="{{s}}" {{!'selected' if s == filters.get('state') else ''}}>{{_(s)}}</option>
% end
</select></label>
<button type="submit">{{_("Search")}}</button>
<a class="export" id="export" href="/register?{{urlencode(filters | {'format': 'csv'})}}">{{_("Export CSV")}}</a>
</form>
% include('folder_rows', rows=page.rows, extra=())
% if not page.rows:
<p class="quiet" id="no-folders">{{_("No folders found on this page yet.") if page.partial else _("No folders match.")}}</p>
% end
% if page.next_after is not None:
% link = '/register?' + urlencode(filters | {'after': page.next_after})
% if page.partial:
<p><a id="continue" href="{{link}}">{{_("The search stopped early to stay fast: continue searching")}}</a></p>
% else:
<p><a id="next" href="{{link}}">{{_("Next page")}}</a></p>
% end
% end
