"""Thaw as a large network deploys it: PostgreSQL, three `thaw serve` processes and nginx in
front (deployment.py, with the README's nginx configuration). A change made through one process
reaches pages served by another; a process killed mid-load loses nothing it acknowledged while
the others carry on; the scheduled sweep moves to a live process."""
import threading
import time
import uuid

import pytest
import requests

import deployment
from crash_trials import bootstrap

PASSWORD = "thaw-demo-password"
NAVIGATOR = "navigator@riverside-fht.demo"


def signed_in(base, email):
    session = requests.Session()
    answer = session.post(base + "/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD}, timeout=10)
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrfToken"]
    return session


def events_heard(session, url, found, stop):
    """Reads a live-update stream into `found` until `stop` is set or the stream ends."""
    try:
        with session.get(url + "/events", stream=True, timeout=30) as stream:
            for line in stream.iter_lines(decode_unicode=True):
                found.append(line)
                if stop.is_set():
                    return
    except requests.RequestException:
        pass


@pytest.fixture
def demo_cluster(thaw_bin, tmp_path):
    name = deployment.demo_database(thaw_bin)
    try:
        with deployment.cluster(thaw_bin, deployment.database_url(name), tmp_path / "cluster") as (base, servers):
            yield base, servers
    finally:
        deployment.drop_database(name)


def test_a_change_through_one_process_reaches_pages_on_the_others(demo_cluster):
    base, servers = demo_cluster
    # One person, three sessions: sessions live in the database, so any process knows them.
    on_first = signed_in(servers.direct(0), NAVIGATOR)
    caseload = on_first.get(servers.direct(0) + "/api/v1/referrals?view=caseload&limit=200").json()["items"]
    referral = next(i["referral"] for i in caseload if i["referral"]["status"] == "in-progress")
    through_nginx = signed_in(base, NAVIGATOR)
    on_second = signed_in(servers.direct(1), NAVIGATOR)

    heard_first, heard_nginx, stop = [], [], threading.Event()
    readers = [threading.Thread(target=events_heard, args=(on_first, servers.direct(0), heard_first, stop), daemon=True),
               threading.Thread(target=events_heard, args=(through_nginx, base, heard_nginx, stop), daemon=True)]
    for reader in readers:
        reader.start()
    expected = f'data: {{"referral":"{referral["id"]}"}}'
    deadline = time.time() + 20
    while time.time() < deadline and not (expected in heard_first and expected in heard_nginx):
        # The change is made on the second process; the pages listen on the first, and wherever nginx sent them.
        sent = on_second.post(servers.direct(1) + f"/api/v1/referrals/{referral['id']}/messages",
                              json={"body": "Across processes " + uuid.uuid4().hex[:6]}, timeout=10)
        assert sent.status_code == 201, sent.text
        time.sleep(1)
    stop.set()
    assert expected in heard_first, heard_first
    assert expected in heard_nginx, heard_nginx


def test_a_page_in_the_browser_updates_for_a_change_made_through_another_process(demo_cluster):
    from browser import new_driver, require_browser
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    require_browser()
    base, servers = demo_cluster
    api = signed_in(servers.direct(2), NAVIGATOR)
    caseload = api.get(servers.direct(2) + "/api/v1/referrals?view=caseload&limit=200").json()["items"]
    referral = next(i["referral"] for i in caseload if i["referral"]["status"] == "in-progress")
    driver = new_driver()
    try:
        page = servers.direct(0)
        driver.get(page + "/sign-in")
        driver.find_element(By.CSS_SELECTOR, "#f-email").send_keys(NAVIGATOR)
        driver.find_element(By.CSS_SELECTOR, "#f-password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: "/sign-in" not in d.current_url)
        driver.get(page + f"/referrals/{referral['id']}")
        WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
        time.sleep(1)  # the page's live-update stream opens
        words = "Written on another process " + uuid.uuid4().hex[:8]
        assert api.post(servers.direct(2) + f"/api/v1/referrals/{referral['id']}/messages", json={"body": words},
                        timeout=10).status_code == 201
        WebDriverWait(driver, 20).until(lambda d: words in d.find_element(By.CSS_SELECTOR, "main").text)
    finally:
        driver.quit()


def test_a_process_killed_mid_load_loses_nothing_and_the_others_carry_on(thaw_bin, tmp_path):
    name = deployment.create_database()
    url = deployment.database_url(name)
    try:
        _, housing, navigator, staff = bootstrap(thaw_bin, url)
        with deployment.cluster(thaw_bin, url, tmp_path / "cluster", "--deadline-sweep-seconds", "1") as (base, servers):
            writers = deployment.Writers(base, navigator, housing, deployment.housing_service(base, staff))
            time.sleep(3)
            before = len(writers.acknowledged)
            # The process that ran the last sweep dies; another takes the sweep over.
            holder = sweep_holder(url)
            victim = next(i for i, p in servers.processes.items() if holder.endswith(f":{p.pid}"))
            servers.kill(victim)
            time.sleep(4)
            writers.stop()
            assert len(writers.acknowledged) > before > 0, "the others did not carry on"
            assert set(writers.outcomes) <= {200, 201, 502, 503, "connection"}, set(writers.outcomes)
            later = sweep_holder(url)
            alive = [p.pid for i, p in servers.processes.items() if i != victim]
            assert any(later.endswith(f":{pid}") for pid in alive), (later, alive)
            writers.verify(base, url)
    finally:
        deployment.drop_database(name)


def sweep_holder(url):
    deadline = time.time() + 10
    while time.time() < deadline:
        holder = deployment.query(url, "SELECT last_holder FROM scheduled_jobs WHERE name = 'deadline-sweep'")
        if holder:
            return holder
        time.sleep(0.2)
    raise AssertionError("no process has run the deadline sweep")
