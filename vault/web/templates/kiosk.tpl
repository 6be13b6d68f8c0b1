% rebase('base', title='Guard-room screen', site=site, visitor=None)
<section class="signin" aria-labelledby="kiosk-heading">
<h1 id="kiosk-heading">Sign in this screen</h1>
% if error:
<p class="error" role="alert">{{error}}</p>
% else:
<p>This screen will show the alarm board as <strong>{{account}}</strong> for 30 days. It can only watch the board and acknowledge alarms.</p>
<form method="post" class="signin">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit">Show the alarm board on this screen</button>
</form>
% end
</section>
