// Image change form: a click on the picture sets Fokus X/Y (0..1, three decimals), moves
// the marker and shows each ratio's crop as build_renditions will cut it. Without
// JavaScript the two number fields work as before.
"use strict";
(function () {
  function cropPosition(width, height, fx, fy, ratio) {
    // The same box as articles.images.focal_crop_box, as object-position percentages.
    let cropW, cropH;
    if (width / height > ratio) { cropW = Math.round(height * ratio); cropH = height; }
    else { cropW = width; cropH = Math.round(width / ratio); }
    const left = Math.min(Math.max(Math.round(fx * width - cropW / 2), 0), width - cropW);
    const top = Math.min(Math.max(Math.round(fy * height - cropH / 2), 0), height - cropH);
    const freeX = width - cropW, freeY = height - cropH;
    return [freeX ? (100 * left) / freeX : 50, freeY ? (100 * top) / freeY : 50];
  }

  function update(picker, fx, fy) {
    const marker = picker.querySelector(".focal-marker");
    marker.style.left = fx * 100 + "%";
    marker.style.top = fy * 100 + "%";
    const width = Number(picker.dataset.width), height = Number(picker.dataset.height);
    document.querySelectorAll(".crop-preview").forEach(function (figure) {
      const pos = cropPosition(width, height, fx, fy, Number(figure.dataset.ratio));
      figure.querySelector("img").style.objectPosition = pos[0] + "% " + pos[1] + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const picker = document.querySelector(".focal-picker");
    const inputX = document.getElementById("id_focal_x");
    const inputY = document.getElementById("id_focal_y");
    if (!picker || !inputX || !inputY) return;
    picker.addEventListener("click", function (event) {
      const box = picker.querySelector("img").getBoundingClientRect();
      const clamp = function (v) { return Math.min(Math.max(v, 0), 1); };
      const fx = clamp((event.clientX - box.left) / box.width);
      const fy = clamp((event.clientY - box.top) / box.height);
      inputX.value = fx.toFixed(3);
      inputY.value = fy.toFixed(3);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      inputY.dispatchEvent(new Event("change", { bubbles: true }));
      update(picker, fx, fy);
    });
    [inputX, inputY].forEach(function (input) {
      input.addEventListener("input", function () {
        const fx = parseFloat(inputX.value.replace(",", ".")), fy = parseFloat(inputY.value.replace(",", "."));
        if (fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1) update(picker, fx, fy);
      });
    });
  });
})();
