/* The share box (templates/content/includes/share.html): in WeChat's browser, a hint pointing
   at WeChat's own menu (pages cannot open it) and, when the site has an official account,
   the JS-SDK share settings; elsewhere the phone's own share sheet, or copying the link.
   Without JavaScript the share picture link still works. */
(function () {
  "use strict";
  var box = document.querySelector("[data-share]");
  if (!box) return;
  var data = {
    url: box.getAttribute("data-share-url"),
    title: box.getAttribute("data-share-title"),
    desc: box.getAttribute("data-share-desc"),
    image: box.getAttribute("data-share-image")
  };
  var button = box.querySelector("[data-share-button]");
  var status = box.querySelector("[data-share-status]");
  var hint = box.querySelector("[data-wechat-hint]");
  var inWeChat = /MicroMessenger/i.test(navigator.userAgent);

  function say(text) {
    status.textContent = text;
    status.hidden = false;
  }

  function wechatSettings() {
    var configUrl = box.getAttribute("data-wechat-config");
    if (!configUrl) return;
    var here = location.href.split("#")[0];
    var script = document.createElement("script");
    script.src = box.getAttribute("data-wechat-sdk");
    script.onload = function () {
      fetch(configUrl + "?url=" + encodeURIComponent(here), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (config) {
          if (!config || !window.wx) return;
          window.wx.config({
            debug: false,
            appId: config.appId,
            timestamp: config.timestamp,
            nonceStr: config.nonceStr,
            signature: config.signature,
            jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
          });
          window.wx.ready(function () {
            var share = { title: data.title, desc: data.desc, link: here, imgUrl: data.image };
            window.wx.updateAppMessageShareData(share);
            window.wx.updateTimelineShareData({ title: data.title, link: here, imgUrl: data.image });
          });
        })
        .catch(function () { /* the hint still works */ });
    };
    document.head.appendChild(script);
  }

  button.hidden = false;
  if (inWeChat) {
    wechatSettings();
    button.addEventListener("click", function () { hint.hidden = false; });
    box.querySelector("[data-wechat-hint-close]").addEventListener("click", function () {
      hint.hidden = true;
      button.focus();
    });
    return;
  }
  button.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: data.title, text: data.desc, url: data.url }).catch(function () {});
    } else if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(data.url).then(
        function () { say(button.getAttribute("data-copied")); },
        function () { say(data.url); }
      );
    } else {
      say(data.url);
    }
  });
})();
