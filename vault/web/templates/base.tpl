<!doctype html>
<html lang="{{html_lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{_(title)}} · {{site}}</title>
<link rel="stylesheet" href="/static/style.css">
{{!head if defined('head') else ''}}
</head>
<body>
<header class="top"><span class="brand">{{_("Vault")}}</span> <span class="site">{{site}}</span> <span class="page">{{_(title)}}</span>
% visitor = get('visitor')
% if visitor:
<span class="who" id="who">{{visitor.display_name}} <span class="role">{{_(visitor.role)}}</span></span>
% if not visitor.kiosk:
<form method="post" action="/account/language" class="language" aria-label="{{_("Language")}}"><input type="hidden" name="csrf" value="{{visitor.csrf}}"><input type="hidden" name="next" value="{{here}}"><button type="submit" name="language" value="zh" lang="zh-CN" {{!'aria-pressed="true"' if lang == 'zh' else 'aria-pressed="false"'}}>中文</button><button type="submit" name="language" value="en" lang="en" {{!'aria-pressed="true"' if lang == 'en' else 'aria-pressed="false"'}}>English</button></form>
<form method="post" action="/signout" class="signout"><input type="hidden" name="csrf" value="{{visitor.csrf}}"><button type="submit">{{_("Sign out")}}</button></form>
% end
% else:
<form method="get" class="language" aria-label="{{_("Language")}}">
% for key, value in keep:
<input type="hidden" name="{{key}}" value="{{value}}">
% end
<button type="submit" name="lang" value="zh" lang="zh-CN" {{!'aria-pressed="true"' if lang == 'zh' else 'aria-pressed="false"'}}>中文</button><button type="submit" name="lang" value="en" lang="en" {{!'aria-pressed="true"' if lang == 'en' else 'aria-pressed="false"'}}>English</button></form>
% end
</header>
<main>
{{!base}}
</main>
</body>
</html>
