% rebase('base', title='Vault', site=site, visitor=visitor)
<h1>Signed in as {{visitor.display_name}}</h1>
% if pages:
<ul class="pages">
% for path, label in pages:
<li><a href="{{path}}">{{label}}</a></li>
% end
</ul>
% else:
<p class="quiet">There are no pages for the role {{visitor.role}} yet.</p>
% end
