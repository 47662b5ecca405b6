// The scanner's camera (jsQR reads the frames) and the beep and buzz of a result.
const $ = (id) => document.getElementById(id);
const camera = { stream: null, scanning: false };
const options = { onCode: () => {}, errorText: "" };

export function setupCamera({ onCode, errorText }) {
  options.onCode = onCode;
  options.errorText = errorText;
}

export async function startCamera() {
  $("camera-error").hidden = true;
  if (!camera.stream) {
    try {
      camera.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 640 }, height: { ideal: 480 } },
        audio: false,
      });
    } catch {
      $("camera-error").textContent = options.errorText;
      $("camera-error").hidden = false;
      return;
    }
  }
  const video = $("video");
  video.srcObject = camera.stream;
  video.hidden = false;
  $("scan-start").hidden = true;
  await video.play().catch(() => {});
  camera.scanning = true;
  requestAnimationFrame(scanFrame);
}

export function stopCamera() {
  camera.scanning = false;
  $("video").hidden = true;
  $("scan-start").hidden = false;
}

let lastFrame = 0;

function scanFrame(now) {
  if (!camera.scanning) return;
  // about 6 frames a second: enough to feel instant, light on a cheap phone's battery
  if (now - lastFrame > 160) {
    lastFrame = now;
    const video = $("video");
    if (video.readyState >= 2 && video.videoWidth) {
      const scale = Math.min(1, 640 / video.videoWidth);
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      const canvas = $("frame");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      const code = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
        inversionAttempts: "dontInvert",
      });
      if (code && code.data) {
        options.onCode(code.data);
        return;
      }
    }
  }
  requestAnimationFrame(scanFrame);
}

const TONES = { ok: [880, 0.15], already_checked_in: [520, 0.3], bad: [220, 0.5] };

export function feedback(kind) {
  const [frequency, seconds] = TONES[kind];
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + seconds);
    oscillator.onended = () => audio.close();
  } catch {
    /* no sound on this phone */
  }
  if (navigator.vibrate) {
    navigator.vibrate(kind === "ok" ? 120 : kind === "bad" ? [250, 100, 250] : [120, 80, 120]);
  }
}

