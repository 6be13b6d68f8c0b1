% rebase('base', title='Sign in', site=site, visitor=None)
<section class="signin" aria-labelledby="signin-heading">
<h1 id="signin-heading">{{_("Sign in to Vault")}}</h1>
% if error:
<p class="error" role="alert" id="signin-error">{{_(error)}}</p>
% end
<form method="post" action="/signin" class="signin">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="next" value="{{target}}">
<input type="hidden" name="lang" value="{{lang}}">
<label>{{_("Username")}} <input name="username" value="{{username}}" required autocomplete="username" autocapitalize="none" spellcheck="false" autofocus></label>
<label>{{_("Password")}} <input name="password" type="password" required autocomplete="current-password"></label>
<button type="submit">{{_("Sign in")}}</button>
</form>
</section>
