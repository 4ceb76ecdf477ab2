/* Handsontable's menus in Simplified Chinese, for Wagtail's table editor (content/blocks.py).
   Wagtail ships Handsontable 6.2.2 with its English dictionary only; this registers the
   phrases of every menu item under "zh-CN", the language DataTableBlock asks for. */
(function () {
  "use strict";
  if (!window.Handsontable || !window.Handsontable.languages) return;
  var menu = "ContextMenu:items.";
  var phrases = { languageCode: "zh-CN" };
  var items = {
    insertRowAbove: "在上方插入行",
    insertRowBelow: "在下方插入行",
    insertColumnOnTheLeft: "在左侧插入列",
    insertColumnOnTheRight: "在右侧插入列",
    removeRow: "删除行",
    removeColumn: "删除列",
    undo: "撤销",
    redo: "重做",
    readOnly: "只读",
    clearColumn: "清空列",
    copy: "复制",
    cut: "剪切",
    freezeColumn: "冻结列",
    unfreezeColumn: "取消冻结列",
    mergeCells: "合并单元格",
    unmergeCells: "取消合并单元格",
    addComment: "添加批注",
    editComment: "编辑批注",
    removeComment: "删除批注",
    readOnlyComment: "只读批注",
    align: "对齐",
    "align.left": "左对齐",
    "align.center": "居中",
    "align.right": "右对齐",
    "align.justify": "两端对齐",
    "align.top": "顶端对齐",
    "align.middle": "垂直居中",
    "align.bottom": "底端对齐",
    borders: "边框",
    "borders.top": "上边框",
    "borders.right": "右边框",
    "borders.bottom": "下边框",
    "borders.left": "左边框",
    "borders.remove": "删除边框",
    "nestedHeaders.insertChildRow": "插入子行",
    "nestedHeaders.detachFromParent": "从父行中移出",
    hideColumn: "隐藏列",
    showColumn: "显示列",
    hideRow: "隐藏行",
    showRow: "显示行",
  };
  Object.keys(items).forEach(function (key) {
    phrases[menu + key] = items[key];
  });
  window.Handsontable.languages.registerLanguageDictionary(phrases);
})();
