// whatsapp-web.js depends on puppeteer; the hub uses the system's chromium, so never download one.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
