% visitor = get('visitor')
% rebase('base', title=status, site=site, visitor=visitor)
<h1>{{_(status)}}</h1>
<p class="error" role="alert">{{_(message)}}</p>
% if visitor and visitor.kiosk:
<p><a href="/alarms">{{_("Back to the alarm board")}}</a></p>
% elif visitor:
<p><a href="/">{{_("Back to Vault's front page")}}</a></p>
% else:
<p><a href="/signin">{{_("Sign in")}}</a></p>
% end
