% rebase('base', title=status, site='Vault')
<h1>{{status}}</h1>
<p class="error" role="alert">{{message}}</p>
<p><a href="/alarms">Back to the alarm board</a></p>
