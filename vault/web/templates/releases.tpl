% from urllib.parse import urlencode
% from vault.domain.access import allowed
% rebase('base', title='Data released to outside units', site=site, visitor=visitor)
% query = urlencode({'unit': unit}) + '&' if unit else ''
<h1>{{_("Data released to outside units")}}</h1>
<form method="get" action="/releases" class="register-search" id="release-search">
<label>{{_("Unit")}} <input name="unit" value="{{unit}}"></label>
<button type="submit">{{_("Search")}}</button>
</form>
<nav class="register-nav">{{_("Download")}}: <a class="export" id="releases-csv" href="/releases?{{query}}format=csv">CSV</a> <a class="export" id="releases-pdf" href="/releases?{{query}}format=pdf">PDF</a></nav>
% if error:
<p class="error" role="alert" id="release-error">{{_(error)}}</p>
% end
% if rows:
<table class="folders" id="releases">
<thead><tr><th>{{_("Provided on")}}</th><th>{{_("Unit")}}</th><th>{{_("Letter")}}</th><th>{{_("Purpose")}}</th><th>{{_("What was provided")}}</th><th>{{_("Approved by")}}</th><th>{{_("Seal confirmed by")}}</th><th>{{_("Recorded")}}</th></tr></thead>
<tbody>
% for r in rows:
<tr data-release="{{r['id']}}"><td>{{r['provided_on']}}</td><td>{{r['unit']}}</td><td>{{r['letter']}}</td><td>{{r['purpose']}}</td><td class="title">{{r['provided']}}</td><td>{{r['approved_by']}}</td><td>{{r['seal_confirmed_by']}}</td><td>{{r['recorded_at']}}</td></tr>
% end
</tbody>
</table>
% if len(rows) >= limit:
<p class="quiet">{{_("Only the first {n} rows are shown here; the CSV and PDF files have them all.", n=limit)}}</p>
% end
% else:
<p class="quiet" id="no-releases">{{_("Nothing registered.")}}</p>
% end
% if allowed(visitor.role, 'release_create'):
<section aria-labelledby="release-heading">
<h2 id="release-heading">{{_("Register data provided to an outside unit")}}</h2>
<form method="post" action="/releases" id="add-release">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
<label>{{_("Unit")}} <input name="unit" value="{{sent.get('unit', '')}}" required></label>
<label>{{_("Letter number")}} <input name="letter_number" value="{{sent.get('letter_number', '')}}" required></label>
<label>{{_("Letter dated")}} <input type="date" name="letter_date" value="{{sent.get('letter_date', '')}}" required></label>
<label>{{_("Purpose")}} <input name="purpose" value="{{sent.get('purpose', '')}}" required></label>
<label><input type="checkbox" name="seal" value="1" required {{!'checked' if sent.get('seal') else ''}}> {{_("I have seen the unit's official seal on the letter")}}</label>
<label>{{_("Approving leader")}} <select name="approved_by" required>
<option value="">—</option>
% for username, name in leaders:
<option value="{{username}}" {{!'selected' if username == sent.get('approved_by') else ''}}>{{name}} ({{username}})</option>
% end
</select></label>
<label>{{_("What was provided")}} <textarea name="provided" rows="3" required>{{sent.get('provided', '')}}</textarea></label>
<label>{{_("Provided on")}} <input type="date" name="provided_on" value="{{sent.get('provided_on') or today}}" required></label>
<button type="submit">{{_("Add to the register")}}</button>
</form>
</section>
% end
