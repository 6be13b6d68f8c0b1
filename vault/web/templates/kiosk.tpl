% rebase('base', title='Guard-room screen', site=site, visitor=None)
<section class="signin" aria-labelledby="kiosk-heading">
<h1 id="kiosk-heading">{{_("Sign in this screen")}}</h1>
% if error:
<p class="error" role="alert">{{_(error)}}</p>
% else:
<p>{{_("This screen will show the alarm board as {account} for 30 days. It can only watch the board and acknowledge alarms.", account=account)}}</p>
<form method="post" class="signin">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="lang" value="{{lang}}">
<button type="submit">{{_("Show the alarm board on this screen")}}</button>
</form>
% end
</section>
