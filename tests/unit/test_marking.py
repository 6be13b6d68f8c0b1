from vault.domain.model import Classification, marking


def test_marking_follows_the_bureau_usage():
    assert marking(Classification.CONFIDENTIAL, "10年") == "秘密★ 10年"
    assert marking(Classification.SECRET, "30年") == "机密★ 30年"
    assert marking(Classification.TOP_SECRET, "长期") == "绝密★ 长期"
    assert marking(Classification.INTERNAL, "30年") == "内部"
    assert marking(Classification.PUBLIC, "") == "公开"
