from factories import UserFactory


def test_signing_out_leads_to_the_home_page(client, db):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in client.session
