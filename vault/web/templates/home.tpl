% rebase('base', title='Vault', site=site, visitor=visitor)
<h1>{{_("Signed in as {name}", name=visitor.display_name)}}</h1>
% if pages:
<ul class="pages">
% for path, label in pages:
<li><a href="{{path}}">{{_(label)}}</a></li>
% end
</ul>
% else:
<p class="quiet">{{_("There are no pages for the role {role} yet.", role=_(visitor.role))}}</p>
% end
