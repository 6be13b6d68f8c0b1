% rebase('base', title='New request', site=site, visitor=visitor)
<h1>{{_("New request")}}</h1>
<nav class="request-nav"><a href="/requests">{{_("Requests")}}</a></nav>
% if error:
<p class="error" role="alert" id="request-error">{{_(error)}}</p>
% end
<form method="post" action="/requests" class="request-form" id="request-form">
<input type="hidden" name="csrf" value="{{visitor.csrf}}">
<fieldset>
<legend>{{_("Reader")}}</legend>
<label><input type="radio" name="kind" value="staff" {{!'checked' if sent.get('kind') != 'visitor' else ''}}> {{_("a member of staff")}}</label>
<label><input type="radio" name="kind" value="visitor" id="kind-visitor" {{!'checked' if sent.get('kind') == 'visitor' else ''}}> {{_("a visitor from another unit, with an introduction letter")}}</label>
<label>{{_("Reader's name")}} <input name="reader" value="{{sent.get('reader', '')}}" required></label>
</fieldset>
<fieldset>
<legend>{{_("Folders and purpose")}}</legend>
<label>{{_("Folder codes, one per line or separated by spaces")}}<br><textarea name="codes" rows="4" cols="40" required spellcheck="false">{{sent.get('codes', '')}}</textarea></label>
<label>{{_("Purpose")}} <input name="purpose" value="{{sent.get('purpose', '')}}" size="40" required></label>
<label>{{_("First day")}} <input type="date" name="valid_from" value="{{sent.get('valid_from', '')}}" required></label>
<label>{{_("Last day")}} <input type="date" name="valid_until" value="{{sent.get('valid_until', '')}}" required></label>
</fieldset>
<fieldset id="letter">
<legend>{{_("Introduction letter (a visitor only)")}}</legend>
<label>{{_("Unit")}} <input name="unit" value="{{sent.get('unit', '')}}"></label>
<label>{{_("Letter number")}} <input name="number" value="{{sent.get('number', '')}}"></label>
<label>{{_("Letter date")}} <input type="date" name="issued_on" value="{{sent.get('issued_on', '')}}"></label>
<label>{{_("Letter valid until")}} <input type="date" name="letter_until" value="{{sent.get('letter_until', '')}}"></label>
<label>{{_("Folders or subjects the letter covers, one per line")}}<br><textarea name="covers" rows="3" cols="40">{{sent.get('covers', '')}}</textarea></label>
<label><input type="checkbox" name="seal" value="yes" {{!'checked' if sent.get('seal') == 'yes' else ''}}> {{_("I have seen the unit's official seal on the letter")}}</label>
</fieldset>
<button type="submit">{{_("Record the request")}}</button>
</form>
<p class="quiet">{{_("Folders at confidential or above leave the warehouse only when the leaders named in the configuration have approved them; a visitor's request always needs a leader's approval.")}}</p>
