"""Helpers for the browser tests: a real headless Chromium driven by Selenium
against a real `thaw demo` server."""
import os
import pathlib
import shutil

import pytest

SCREENSHOTS = pathlib.Path(os.environ.get("THAW_SCREENSHOTS", "/tmp/thaw-screenshots"))
PASSWORD = "thaw-demo-password"
NAVIGATOR = "navigator@riverside-fht.demo"
HOUSING = "staff@homeward.demo"
FOOD = "staff@goodneighbour.demo"
ADMIN = "admin@thaw.demo"


def chromium_available():
    return shutil.which("chromium") and shutil.which("chromedriver")


def require_browser():
    """Skips loudly where no Chromium is installed; fails where CI requires one."""
    if chromium_available():
        return
    message = "Chromium/chromedriver not installed: THE BROWSER TESTS DID NOT RUN (apt-get install chromium chromium-driver)"
    if os.environ.get("THAW_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    print("\n" + "!" * 100 + "\n" + message + "\n" + "!" * 100)
    pytest.skip(message)


def new_driver(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=en-GB"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.implicitly_wait(0)
    if width < 500:   # headless windows have a minimum width; emulate a phone's viewport instead
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    return driver


def screenshot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


# The accessibility audit run inside the page: landmarks, headings, a label for
# every control, names for links and buttons, and WCAG AA contrast of every
# piece of visible text against the background it is drawn on.
AUDIT_JS = r"""
const problems = [];
const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
const landmarks = ['header', 'main', 'footer'].concat(document.querySelector('.account') ? ['nav'] : []);
for (const sel of landmarks) if (!document.querySelector(sel)) problems.push('missing landmark ' + sel);
if (document.querySelectorAll('h1').length !== 1) problems.push('expected exactly one h1, found ' + document.querySelectorAll('h1').length);
if (!document.documentElement.lang) problems.push('html has no lang');
if (!document.title) problems.push('no title');
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label') ||
                   el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!labelled) problems.push('control without a label: ' + (el.name || el.id || el.outerHTML.slice(0, 60)));
}
const ids = {};
for (const el of document.querySelectorAll('[id]')) { if (ids[el.id]) problems.push('duplicate id ' + el.id); ids[el.id] = true; }
for (const el of document.querySelectorAll('a, button')) {
  if (!el.textContent.trim() && !el.getAttribute('aria-label')) problems.push('link or button without a name: ' + el.outerHTML.slice(0, 80));
}
for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
  const p = m[1].split(',').map(x => parseFloat(x)); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
  if (c && c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
let checked = 0;
for (const el of document.querySelectorAll('body *')) {
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !visible(el) || el.closest('.visually-hidden') || el.closest('.skip-link')) continue;
  const s = getComputedStyle(el); const fg = parse(s.color); const bg = background(el);
  if (!fg) continue;
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const ratio = (hi + 0.05) / (lo + 0.05);
  const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight) >= 700;
  const need = (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5;
  checked += 1;
  if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ' for "' + el.textContent.trim().slice(0, 40) + '"');
}
return {problems: problems, checked: checked};
"""


def audit(driver, page_name):
    """Runs the accessibility audit and saves a screenshot; returns the problems found."""
    screenshot(driver, page_name)
    result = driver.execute_script(AUDIT_JS)
    assert result["checked"] > 0, f"{page_name}: no text was checked"
    return result["problems"]
