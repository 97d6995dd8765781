"""The web app in a real headless Chromium against a real `thaw demo`: two
people in two browsers from two organisations work referrals end to end."""
import datetime
import tempfile
import time
import uuid

import pytest

from browser import (ADMIN, FOOD, HOUSING, NAVIGATOR, PASSWORD, SCREENSHOTS, audit, new_driver, require_browser,
                     screenshot)
from conftest import demo_server

WAIT = 15


@pytest.fixture(scope="module")
def site(thaw_bin):
    require_browser()
    folder = tempfile.mkdtemp(prefix="thaw-web-")
    with demo_server(thaw_bin, f"{folder}/demo.sqlite") as base:
        yield base
    print(f"\nScreenshots of the main pages: {SCREENSHOTS}")


@pytest.fixture
def browsers():
    opened = []

    def make(**kwargs):
        driver = new_driver(**kwargs)
        opened.append(driver)
        return driver

    yield make
    for driver in opened:
        driver.quit()


# --- small helpers ------------------------------------------------------------

def by(css):
    from selenium.webdriver.common.by import By
    return (By.CSS_SELECTOR, css)


def wait_for(driver, condition, timeout=WAIT):
    """Waits for `condition`; elements replaced by a navigation or a live update are simply looked up again
    (chromedriver reports some of those as a generic "node does not belong to the document" error)."""
    from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException, TimeoutException,
                                            WebDriverException)
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException,
                                                                  WebDriverException)).until(condition)
    except TimeoutException:
        screenshot(driver, "failure-" + uuid.uuid4().hex[:6])
        raise AssertionError(f"timed out on {driver.current_url}; the page says:\n{driver.find_element(*by('body')).text[:1500]}")


def wait_text(driver, text, timeout=WAIT):
    wait_for(driver, lambda d: text in d.find_element(*by("main")).text, timeout)


def sign_in(driver, site, email):
    driver.get(site + "/sign-in")
    driver.find_element(*by("#f-email")).send_keys(email)
    driver.find_element(*by("#f-password")).send_keys(PASSWORD)
    driver.find_element(*by("form button[type=submit]")).click()
    wait_for(driver, lambda d: "/sign-in" not in d.current_url)


def fill(driver, css, text):
    element = driver.find_element(*by(css))
    element.clear()
    element.send_keys(text)


def choose(driver, css, visible_text):
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element(*by(css))).select_by_visible_text(visible_text)


def press(driver, text):
    """Clicks the button (or summary) whose text is exactly `text`, opening its <details> first."""
    from selenium.webdriver.common.by import By
    for element in driver.find_elements(By.XPATH, f"//button[normalize-space()='{text}'] | //summary[normalize-space()='{text}']"):
        if element.is_displayed():
            element.click()
            return
    raise AssertionError(f"no visible control '{text}' on {driver.current_url}")


def new_client(driver, site, family):
    driver.get(site + "/clients")
    fill(driver, "#f-givenName", "Rosa")
    fill(driver, "#f-familyName", family)
    fill(driver, "#f-phone", "555-0199")
    press(driver, "Register client")
    wait_text(driver, "The client was registered.")
    return driver.current_url.split("?")[0]


def screen_for(driver, needs):
    for need in needs:
        driver.find_element(*by(f"#f-answer-{need}-yes")).click()
    press(driver, "Record screening")
    wait_text(driver, "The screening was recorded")


def refer(driver, need_label, service, consent_to=None, notes=False):
    """From the client page: refer for the identified need to `service` (None: leave open);
    `notes`: the consent recorded on the spot lets the partner read messages and notes too."""
    from selenium.webdriver.common.by import By
    driver.find_element(By.XPATH, f"//li[contains(., '{need_label}')]//a[contains(., 'Refer')]").click()
    wait_text(driver, "Choose where to send it")
    if service:
        driver.find_element(By.XPATH, f"//label[contains(., '{service}')]").click()
    else:
        driver.find_element(*by("#target-open")).click()
    if consent_to:
        driver.find_element(*by("#f-recordConsent")).click()
        choose(driver, "#f-grantee", consent_to)
        if notes:
            driver.find_element(*by("#f-scopes-notes")).click()
    press(driver, "Send referral")
    wait_for(driver, lambda d: "/referrals/ref_" in d.current_url)
    return driver.current_url.split("?")[0]


def two_people(browsers, site, partner_email):
    """A navigator and a partner, each signed in in a browser of their own."""
    nav, partner = browsers(), browsers()
    sign_in(nav, site, NAVIGATOR)
    sign_in(partner, site, partner_email)
    return nav, partner


def screened_client(nav, site, prefix, need):
    """A new client of the navigator's, screened with one need; returns (family name, client page URL)."""
    family = prefix + "-" + uuid.uuid4().hex[:6]
    url = new_client(nav, site, family)
    screen_for(nav, [need])
    return family, url


# --- the flows the issue lists --------------------------------------------------

def test_whole_loop_between_two_organisations(site, browsers):
    nav, partner = two_people(browsers, site, HOUSING)
    family, client_url = screened_client(nav, site, "Loop", "housing")
    partner.get(site + "/inbox")                                # open before the referral exists
    referral_url = refer(nav, "Housing", "Rapid Rehousing", consent_to="The partner chosen above", notes=True)
    screenshot(nav, "referral-navigator")
    # The partner's open inbox shows the new referral without a reload (server-sent events).
    wait_for(partner, lambda d: family in d.find_element(*by("main")).text)
    partner.get(referral_url)
    press(partner, "Accept")
    wait_text(partner, "The referral was updated.")
    nav.get(referral_url)
    fill(nav, "#f-body", "She can be reached after 3 pm.")
    press(nav, "Send message")
    wait_text(nav, "Your message was sent.")
    # The partner's open page receives it live.
    wait_for(partner, lambda d: "She can be reached after 3 pm." in d.find_element(*by("main")).text)
    partner.get(referral_url)                                   # opening it records the read receipt
    fill(partner, "#f-body", "Called her; viewing booked for Thursday.")
    press(partner, "Send message")
    wait_for(nav, lambda d: "viewing booked for Thursday" in d.find_element(*by("main")).text)
    nav.get(referral_url)
    assert "Read " in nav.find_element(*by("#referral-messages")).text
    press(partner, "Start work")
    wait_text(partner, "The referral was updated.")
    press(partner, "Complete with outcome…")
    choose(partner, "#f-outcomeCode-completed", "Need met")
    fill(partner, "#f-outcomeSummary-completed", "Moved into a one-bedroom unit")
    press(partner, "Complete with outcome")
    wait_text(partner, "Completed")
    screenshot(partner, "referral-partner-completed")
    wait_for(nav, lambda d: "Moved into a one-bedroom unit" in d.find_element(*by("main")).text)
    nav.get(client_url)
    assert "Completed" in nav.find_element(*by("main")).text


def test_decline_with_a_reason(site, browsers):
    nav, partner = two_people(browsers, site, HOUSING)
    family, _ = screened_client(nav, site, "Decline", "housing")
    referral_url = refer(nav, "Housing", "Supportive Housing Waitlist", consent_to="The partner chosen above")
    partner.get(referral_url)
    press(partner, "Decline…")
    press(partner, "Decline")                                    # without a reason
    wait_text(partner, "Give a reason")
    assert partner.find_element(*by("#f-reason-rejected")).get_attribute("aria-invalid") == "true"
    assert "Choose why you are declining" in partner.find_element(*by("main")).text
    choose(partner, "#f-reasonCode-rejected", "No capacity")
    fill(partner, "#f-reason-rejected", "Waitlist closed until spring")
    press(partner, "Decline")
    # Declined for want of room: straight to the service's capacity, which is one click away.
    wait_text(partner, "Is Supportive Housing Waitlist still on a waitlist?")
    partner.find_element(*by("#check-heading ~ form button[value='closed']")).click()
    wait_text(partner, "The capacity was updated")
    nav.get(referral_url)
    assert "Waitlist closed until spring" in nav.find_element(*by("main")).text


def test_claim_an_open_referral(site, browsers):
    nav, partner = two_people(browsers, site, FOOD)
    family, _ = screened_client(nav, site, "Open", "food")
    referral_url = refer(nav, "Food", None, consent_to="Every community organisation")
    referral_id = referral_url.rsplit("/", 1)[1]
    partner.get(site + "/inbox")
    from selenium.webdriver.common.by import By
    partner.find_element(By.XPATH, f"//input[@name='referral'][@value='{referral_id}']/../button").click()
    wait_text(partner, "You claimed the referral")
    assert family in partner.find_element(*by("main")).text
    nav.get(referral_url)
    assert "Good Neighbour Food Bank" in nav.find_element(*by("main")).text


def test_consent_revocation_hides_the_client_from_the_partner(site, browsers):
    nav, partner = two_people(browsers, site, HOUSING)
    family, client_url = screened_client(nav, site, "Revoke", "housing")
    referral_url = refer(nav, "Housing", "Rapid Rehousing", consent_to="The partner chosen above")
    partner.get(site + "/inbox")
    assert family in partner.find_element(*by("main")).text
    nav.get(client_url)
    nav.find_element(*by(".consent button.button-danger")).click()
    alert = wait_for(nav, lambda d: d.switch_to.alert)          # the script asks first
    alert.accept()
    wait_text(nav, "The consent was revoked.")
    partner.get(site + "/inbox")
    assert family not in partner.find_element(*by("main")).text
    partner.get(referral_url)
    assert "Not found" in partner.find_element(*by("h1")).text


def test_stale_form_is_rejected_cleanly(site, browsers):
    nav, partner = two_people(browsers, site, HOUSING)
    screened_client(nav, site, "Stale", "housing")
    referral_url = refer(nav, "Housing", "Rapid Rehousing", consent_to="The partner chosen above")
    partner.get(referral_url)                                   # the partner's page holds version 1
    nav.get(referral_url)
    press(nav, "Cancel referral…")
    fill(nav, "#f-reason-cancelled", "Client moved out of the area")
    press(nav, "Cancel referral")
    wait_text(nav, "Cancelled")
    press(partner, "Accept")                                    # from the stale page
    wait_text(partner, "Someone changed this referral")
    screenshot(partner, "referral-stale")
    assert "Cancelled" in partner.find_element(*by("#referral-summary")).text
    nav.get(referral_url)
    assert "Accepted" not in nav.find_element(*by("#referral-summary")).text


def test_keyboard_only_main_flow(site, browsers):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    driver = browsers()
    driver.get(site + "/sign-in")
    keys = ActionChains(driver)

    def tab_to(css, limit=60):
        for _ in range(limit):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            active = driver.switch_to.active_element
            if active.get_attribute("id") == css.lstrip("#") or driver.execute_script("return arguments[0].matches(arguments[1])", active, css):
                style = driver.execute_script("const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth]", active)
                assert style[0] != "none" and style[1] != "0px", f"no visible focus on {css}"
                return active
        raise AssertionError(f"could not reach {css} with the Tab key")

    tab_to("#f-email").send_keys(NAVIGATOR)
    tab_to("#f-password").send_keys(PASSWORD)
    keys.send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: d.current_url.endswith("/caseload"))
    tab_to(".skip-link")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    # From the main content on, past a full caseload (fifty rows and the needs falling through), round to the menu.
    tab_to("a[href='/clients']", limit=300)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: d.current_url.endswith("/clients"))
    tab_to("#f-givenName").send_keys("Kay")
    tab_to("#f-familyName").send_keys("Board-" + uuid.uuid4().hex[:6])
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_text(driver, "The client was registered.")
    tab_to("#f-answer-food-yes")
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    assert driver.switch_to.active_element.is_selected()
    tab_to("#f-screenedOn")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_text(driver, "The screening was recorded")
    tab_to("a.button[href*='/referrals/new']")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_text(driver, "Choose where to send it")
    tab_to("input[name=target]")                               # a radio group takes one Tab; arrows move within it
    for _ in range(20):
        if driver.switch_to.active_element.get_attribute("id") == "target-open":
            break
        ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    assert driver.find_element(*by("#target-open")).is_selected()
    tab_to("#f-recordConsent")
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    tab_to("#f-grantee").send_keys("Every comm")
    tab_to("button[value=send]")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for(driver, lambda d: "/referrals/ref_" in d.current_url)
    wait_text(driver, "open for any eligible partner")


def test_every_main_page_passes_the_accessibility_audit(site, browsers):
    failures = {}
    nav = browsers()
    nav.get(site + "/sign-in")
    failures["sign-in"] = audit(nav, "sign-in")
    sign_in(nav, site, NAVIGATOR)
    failures["caseload"] = audit(nav, "caseload")
    nav.get(site + "/clients")
    failures["clients"] = audit(nav, "clients")
    from selenium.webdriver.common.by import By
    nav.find_element(By.XPATH, "//a[contains(., 'Okafor')]").click()
    failures["client"] = audit(nav, "client")
    nav.find_element(By.XPATH, "//a[normalize-space()='Start a referral']").click()
    choose(nav, "#f-needCategory", "Housing")
    press(nav, "Find services")
    wait_text(nav, "Choose where to send it")
    failures["new-referral"] = audit(nav, "new-referral")
    nav.get(site + "/caseload")
    nav.find_element(*by("table a[href^='/referrals/']")).click()
    failures["referral"] = audit(nav, "referral")
    nav.get(site + "/admin/tokens")
    failures["tokens"] = audit(nav, "tokens")
    partner = browsers()
    sign_in(partner, site, HOUSING)
    failures["inbox"] = audit(partner, "inbox")
    admin = browsers()
    sign_in(admin, site, ADMIN)
    failures["admin"] = audit(admin, "admin")
    admin.find_element(By.XPATH, "//a[normalize-space()='Homeward Housing Society']").click()
    failures["organization"] = audit(admin, "organization")
    lead = browsers()
    sign_in(lead, site, "lead@ministry.demo")
    failures["partnership"] = audit(lead, "partnership")
    lead.find_element(By.XPATH, "//a[normalize-space()='Primary Care and System Working Group']").click()
    failures["committee"] = audit(lead, "committee")
    lead.get(site + "/partnership")
    lead.find_element(By.XPATH, "//a[normalize-space()='Billing codes for virtual care and navigation']").click()
    failures["consultation"] = audit(lead, "consultation")
    lead.get(site + "/partnership/commitments")
    failures["commitments"] = audit(lead, "commitments")
    lead.get(site + "/partnership")
    lead.find_element(By.XPATH, "//a[normalize-space()='Provincial Medical Association']").click()
    failures["pair-timeline"] = audit(lead, "pair-timeline")
    climate = browsers()
    sign_in(climate, site, "lead@authority.demo")
    climate.get(site + "/climate")
    failures["climate"] = audit(climate, "climate")
    climate.find_element(By.XPATH, "//section[@aria-labelledby='cooling-heading']//a").click()
    failures["climate-pair"] = audit(climate, "climate-pair")
    phone = browsers(width=390, height=844)
    sign_in(phone, site, NAVIGATOR)
    failures["caseload-phone"] = audit(phone, "caseload-phone")
    width, viewport = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert viewport == 390 and width <= viewport, f"the caseload scrolls sideways on a phone ({width}px in {viewport}px)"
    assert {page: problems for page, problems in failures.items() if problems} == {}


def test_pages_work_without_javascript(site, browsers):
    """The whole app is plain forms and links; with scripts off the caseload and a form still work."""
    driver = browsers()
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    sign_in(driver, site, NAVIGATOR)
    assert "Caseload" in driver.find_element(*by("h1")).text
    new_client(driver, site, "NoScript-" + uuid.uuid4().hex[:6])


def test_the_audit_catches_what_it_looks_for(site, browsers):
    """The audit is only worth something if it fails on a bad page."""
    driver = browsers()
    driver.get(site + "/sign-in")
    driver.execute_script("""
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input name="unlabelled"><p id="faint">faint text</p><h1>second</h1>');
        document.getElementById('faint').style.color = '#bbbbbb';   // set through the CSSOM: the CSP refuses inline style attributes
    """)
    from browser import AUDIT_JS
    problems = driver.execute_script(AUDIT_JS)["problems"]
    assert any("without a label" in p for p in problems)
    assert any("contrast" in p and "faint text" in p for p in problems)
    assert any("exactly one h1" in p for p in problems)


def test_climate_dashboard_shows_the_cooling_partnership_and_its_freeze(site, browsers):
    """The demo's simulated history: the health authority and Northgate have been
    cooling for two months. The lead sees it on the map, in the cooling list and
    on the pair page, with the freeze band and what moved it; the CSV downloads."""
    from selenium.webdriver.common.by import By
    lead = browsers()
    sign_in(lead, site, "lead@authority.demo")
    lead.find_element(By.XPATH, "//nav//a[normalize-space()='Climate']").click()
    wait_text(lead, "Cooling now")
    ties = lead.find_elements(*by(".network-map svg line"))
    assert len(ties) >= 5, "the map draws a line per tie"
    assert len({t.get_attribute("stroke") for t in ties}) > 1, "ties are coloured by warmth"
    cooling = lead.find_element(By.XPATH, "//section[@aria-labelledby='cooling-heading']").text
    assert "Northgate Primary Care Network" in cooling and "Provincial Health Authority" in cooling and "falling since" in cooling
    lead.find_element(By.XPATH, "//section[@aria-labelledby='cooling-heading']//a").click()
    wait_text(lead, "What moved it")
    main = lead.find_element(*by("main")).text
    assert "Cooling." in main and "Freeze from" in main, main[:800]
    assert lead.find_elements(*by("svg rect.band-freeze")), "the freeze is drawn as a band"
    screenshot(lead, "climate-pair")
    csv = lead.find_element(By.XPATH, "//a[contains(., 'Download every period (CSV)')]").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in lead.get_cookies()}
    import requests
    reply = requests.get(csv, cookies=cookies)
    assert reply.status_code == 200 and reply.text.startswith("organisation a,organisation b,period start,period end,index,reciprocity")
    # A navigator has no climate dashboard in the menu, and is refused at the address.
    nav = browsers()
    sign_in(nav, site, NAVIGATOR)
    assert not nav.find_elements(By.XPATH, "//nav//a[normalize-space()='Climate']")


def test_a_client_worked_from_screening_to_every_need_closed_in_both_directions(site, browsers):
    """As a navigator and a housing worker would, in two browsers: two needs found, one referred;
    the caseload shows the other never referred; a follow-up logged on the clinic's clock; the
    partner books an appointment and refers the client on to the food bank; the housing need is met
    and closed from the referral page; the client's experience is asked; the summary prints in French."""
    from selenium.webdriver.common.by import By
    nav, partner = two_people(browsers, site, HOUSING)
    family = "Both-" + uuid.uuid4().hex[:6]
    client_url = new_client(nav, site, family)
    screen_for(nav, ["housing", "food"])
    referral_url = refer(nav, "Housing", "Rapid Rehousing", consent_to="The partner chosen above", notes=True)
    nav.get(site + "/caseload")
    gaps = nav.find_element(*by("#gaps-heading")).find_element(By.XPATH, "..").text
    assert f"Rosa {family}: Food" in gaps, gaps
    # A follow-up with the client: no answer, next date in a week.
    nav.get(referral_url)
    press(nav, "Record a follow-up")
    choose(nav, "#f-method", "Phone")
    choose(nav, "#f-result", "No answer")
    fill(nav, "#f-note", "Left a voicemail")
    nav.execute_script("document.getElementById('f-nextFollowUpDue').value = arguments[0]",
                       (datetime.date.today() + datetime.timedelta(days=7)).isoformat())
    press(nav, "Record follow-up")
    wait_text(nav, "The follow-up was recorded.")
    page = nav.find_element(*by("main")).text
    assert "Left a voicemail" in page and (" MST" in page or " MDT" in page), "times on the clinic's clock (Edmonton)"
    # The partner accepts, books the appointment, and refers the client on to the food bank.
    partner.get(referral_url)
    press(partner, "Accept")
    wait_text(partner, "The referral was updated.")
    press(partner, "Book an appointment")
    when = (datetime.datetime.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT10:30")
    partner.execute_script("document.getElementById('f-at').value = arguments[0]", when)
    fill(partner, "#f-place", "210 River Road, 2nd floor")
    press(partner, "Book")
    wait_text(partner, "The appointment was booked.")
    press(partner, "Refer to another partner, or back to primary care")
    choose(partner, "#f-organizationId", "Good Neighbour Food Bank")
    choose(partner, "#f-needCategory", "Food")
    partner.find_element(*by("#f-consent-yes")).click()
    press(partner, "Send referral")
    wait_text(partner, "The referral was sent.")
    assert "Homeward Housing Society → Good Neighbour Food Bank" in partner.find_element(*by("main")).text
    # The housing need is met: the navigator closes it from the referral page.
    partner.get(referral_url)
    press(partner, "Complete with outcome…")
    choose(partner, "#f-outcomeCode-completed", "Need met")
    fill(partner, "#f-outcomeSummary-completed", "Moved in on the first")
    press(partner, "Complete with outcome")
    wait_text(partner, "Completed")
    nav.get(referral_url)
    wait_text(nav, "says the need is met")
    assert "Referred on" in nav.find_element(*by("main")).text
    press(nav, "Close as met")
    wait_text(nav, "The needs were closed.")
    press(nav, "Ask the client about their experience")
    choose(nav, "#f-easy", "Yes")
    choose(nav, "#f-needMet", "Yes")
    choose(nav, "#f-wouldUseAgain", "Partly")
    press(nav, "Record their answers")
    wait_text(nav, "The client's answers were recorded.")
    # The client's summary, in French on request.
    nav.get(referral_url + "/summary?lang=fr")
    wait_text(nav, "Votre orientation")
    screenshot(nav, "client-summary-fr")
    # The client page tells each need's story; the food need is still open, referred on by the partner.
    nav.get(client_url)
    text = nav.find_element(*by("main")).text
    assert "Met" in text and "Food" in text


def test_a_partner_reads_thaw_in_french_and_switches_to_english(site, browsers):
    """WorkBridge's worker reads Thaw in French: the inbox, a referral and its forms; the page is
    marked French for screen readers and passes the audit; one press in the header turns it to
    English, and the choice stays for the next page."""
    worker = browsers()
    sign_in(worker, site, "staff@workbridge.demo")
    worker.get(site + "/inbox")
    assert worker.find_element(*by("html")).get_attribute("lang") == "fr"
    wait_text(worker, "Boîte de réception")
    nav_text = worker.find_element(*by("nav.site-nav")).text
    assert "Boîte de réception" in nav_text and "Inbox" not in nav_text
    assert audit(worker, "inbox-fr") == []
    worker.find_element(*by("table a[href^='/referrals/']")).click()
    main = worker.find_element(*by("main")).text
    assert "Orientée par" in main and "Referred by" not in main
    screenshot(worker, "referral-fr")
    # Back to English, on the same page, and it stays.
    press(worker, "English")
    wait_for(worker, lambda d: d.find_element(*by("html")).get_attribute("lang") == "en")
    assert "/referrals/" in worker.current_url and "Referred by" in worker.find_element(*by("main")).text
    worker.get(site + "/inbox")
    assert "Inbox" in worker.find_element(*by("nav.site-nav")).text
