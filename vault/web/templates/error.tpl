% visitor = get('visitor')
% rebase('base', title=status, site=site, visitor=visitor)
<h1>{{status}}</h1>
<p class="error" role="alert">{{message}}</p>
% if visitor and visitor.kiosk:
<p><a href="/alarms">Back to the alarm board</a></p>
% elif visitor:
<p><a href="/">Back to Vault's front page</a></p>
% else:
<p><a href="/signin">Sign in</a></p>
% end
