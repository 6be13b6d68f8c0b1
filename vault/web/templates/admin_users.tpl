% rebase('base', title='Users', site=site, visitor=visitor)
% csrf = visitor.csrf
<h1>{{_("Users")}}</h1>
<nav class="admin-nav"><a href="/admin">{{_("Administration")}}</a></nav>
% if error:
<p class="error" role="alert" id="admin-error">{{_(error)}}</p>
% end
% if done:
<p class="done" role="status" id="admin-done">{{_(done, user=user)}}</p>
% end
% if link:
<section class="kiosk-link" aria-labelledby="link-heading" id="kiosk-link">
<h2 id="link-heading">{{_("Sign-in link for the screen {user}", user=user)}}</h2>
<p><code id="kiosk-url">{{link}}</code></p>
<p>{{_("Open this link on the guard-room screen within 10 minutes; it works once. It is shown only now.")}}</p>
</section>
% end
<table class="admin users" id="user-table">
<thead><tr><th>{{_("Username")}}</th><th>{{_("Name")}}</th><th>{{_("Role")}}</th><th>{{_("Language")}}</th><th>{{_("Account")}}</th><th>{{_("Last sign-in")}}</th><th>{{_("Actions")}}</th></tr></thead>
<tbody>
% for u in users:
<tr data-username="{{u['username']}}" class="user{{' disabled' if u['disabled'] else ''}}">
<td class="username">{{u['username']}}</td><td>{{u['name']}}</td><td>{{_(u['role'])}}</td><td>{{'中文' if u['language'] == 'zh' else 'English'}}</td>
<td class="state">{{_("disabled") if u['disabled'] else _("active")}}</td>
<td>{{u['last_sign_in'] or (_("signs in by link") if u['kiosk'] else '—')}}</td>
<td class="actions">
% if not u['disabled']:
% if u['kiosk']:
<form method="post" action="/admin/users/kiosk-link"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="username" value="{{u['username']}}"><button type="submit">{{_("Make a sign-in link")}}</button></form>
% else:
<details><summary>{{_("Set a new password")}}</summary>
<form method="post" action="/admin/users/password" class="password"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="username" value="{{u['username']}}">
<label>{{_("New password")}} <input type="password" name="password" required autocomplete="new-password"></label>
<label>{{_("Again")}} <input type="password" name="password2" required autocomplete="new-password"></label>
<button type="submit">{{_("Set password")}}</button></form></details>
% end
% if u['username'] != visitor.username:
<form method="post" action="/admin/users/disable" class="disable"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="username" value="{{u['username']}}"><button type="submit">{{_("Disable and sign out")}}</button></form>
% end
% end
</td>
</tr>
% end
</tbody>
</table>
<section aria-labelledby="add-heading">
<h2 id="add-heading">{{_("Add a user")}}</h2>
<form method="post" action="/admin/users/add" class="add-user" id="add-user">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>{{_("Username")}} <input name="username" value="{{sent.get('username', '')}}" required autocapitalize="none" spellcheck="false"></label>
<label>{{_("Name")}} <input name="name" value="{{sent.get('name', '')}}"></label>
<label>{{_("Role")}} <select name="role">
% for role in roles:
<option value="{{role}}" {{!'selected' if role == sent.get('role') else ''}}>{{_(role)}}</option>
% end
</select></label>
<label>{{_("Language")}} <select name="language">
% for code in languages:
<option value="{{code}}" {{!'selected' if code == sent.get('language') else ''}}>{{'中文' if code == 'zh' else 'English'}}</option>
% end
</select></label>
<label>{{_("Initial password")}} <input type="password" name="password" autocomplete="new-password"></label>
<label>{{_("Again")}} <input type="password" name="password2" autocomplete="new-password"></label>
<button type="submit">{{_("Add")}}</button>
</form>
<p class="quiet">{{_("Passwords have at least 10 characters. A guard-room screen needs no password: add it with the role guard-room screen, then make its sign-in link.")}}</p>
</section>
