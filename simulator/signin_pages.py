"""Sign-in pages that behave like Google's and Microsoft's: email, then password, then a second step for
accounts that have one (which no bot passes); Microsoft asks "Stay signed in?" last. A completed sign-in
leaves a session cookie (simulator/accounts.py) and returns to where it was sent from. Sources:
docs/simulator.md ("Signed-in guests")."""

from django.core import signing
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from simulator.accounts import (
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    sim_account_find,
    sim_account_signed_in,
    sim_session_account,
)
from simulator.pages import render_page, simulator_on

FLOW_SALT = "notula.simulator.microsoft.flow"


def _back(request, target: str, provider: str):
    """To where the sign-in was asked from, on this host only; else the account's page."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(f"/simulator/{provider}/account")


def _signed_in(request, account, target: str):
    response = _back(request, target, account.provider)
    response.set_cookie(
        SESSION_COOKIE[account.provider],
        sim_account_signed_in(account=account),
        max_age=SESSION_MAX_AGE_S,
        httponly=True,
        samesite="Lax",
    )
    return response


@csrf_exempt  # a public page of the simulated provider, as the real one is
def google_signin(request):
    """accounts.google.com's sign-in: identifier, password, 2-Step Verification."""
    simulator_on()
    target = request.GET.get("continue") or request.POST.get("continue", "")
    page = {"continue": target, "step": "identifier"}
    if request.method == "GET":
        if sim_session_account(request, "google"):
            return _back(request, target, "google")
        return render_page(request, "google", "signin.html", page)
    email = request.POST.get("identifier", "")
    account = sim_account_find(provider="google", email=email)
    page["email"] = email
    if account is None:
        return render_page(request, "google", "signin.html", {**page, "error": "no_account"})
    if request.POST.get("step") != "password":
        return render_page(request, "google", "signin.html", {**page, "step": "password"})
    if request.POST.get("Passwd") != account.password:
        return render_page(request, "google", "signin.html", {**page, "step": "password", "error": "wrong_password"})
    if account.second_step:
        return render_page(request, "google", "signin.html", {**page, "step": "second_step"})
    return _signed_in(request, account, target)


@csrf_exempt
def microsoft_login(request):
    """login.microsoftonline.com's sign-in: loginfmt, passwd, an approval, "Stay signed in?"."""
    simulator_on()
    target = request.GET.get("redirect_uri") or request.POST.get("redirect_uri", "")
    page = {"redirect_uri": target, "step": "loginfmt"}
    if request.method == "GET":
        if sim_session_account(request, "microsoft"):
            return _back(request, target, "microsoft")
        return render_page(request, "microsoft", "login.html", page)
    email = request.POST.get("loginfmt", "")
    account = sim_account_find(provider="microsoft", email=email)
    page["email"] = email
    if account is None:
        return render_page(request, "microsoft", "login.html", {**page, "error": "no_account"})
    step = request.POST.get("step")
    if step == "loginfmt":
        return render_page(request, "microsoft", "login.html", {**page, "step": "passwd"})
    if step == "kmsi" and _flow_email(request.POST.get("flowToken", "")) == account.email:
        return _signed_in(request, account, target)
    if request.POST.get("passwd") != account.password:
        return render_page(request, "microsoft", "login.html", {**page, "step": "passwd", "error": "wrong_password"})
    if account.second_step:
        return render_page(request, "microsoft", "login.html", {**page, "step": "approve"})
    # The password was right: "Stay signed in?" carries that forward, as Microsoft's flowToken does.
    token = signing.dumps(account.email, salt=FLOW_SALT)
    return render_page(request, "microsoft", "login.html", {**page, "step": "kmsi", "flow_token": token})


def _flow_email(token: str) -> str:
    try:
        return signing.loads(token, salt=FLOW_SALT, max_age=600)
    except signing.BadSignature:
        return ""


def account_page(request, provider: str):
    """Where a sign-in with nowhere to return to lands: who is signed in."""
    simulator_on()
    account = sim_session_account(request, provider)
    return render_page(request, provider, "account.html", {"account": account})
