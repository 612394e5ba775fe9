// Reading QR codes from the phone's camera: getUserMedia video, decoded by
// the browser's BarcodeDetector where it exists (Chrome on Android), else by
// jsQR over frames drawn into a canvas (iOS Safari, desktop Firefox). jsQR is
// loaded only when needed.

export type CameraState = 'idle' | 'starting' | 'on' | 'unsupported' | 'denied' | 'error'

interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>
}
interface BarcodeDetectorCtor {
  new (opts?: { formats: string[] }): BarcodeDetectorLike
  getSupportedFormats?: () => Promise<string[]>
}

type Decode = (video: HTMLVideoElement) => Promise<string | null>

async function nativeDecoder(): Promise<Decode | null> {
  const Ctor = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector
  if (!Ctor) return null
  try {
    if (Ctor.getSupportedFormats) {
      const formats = await Ctor.getSupportedFormats()
      if (!formats.includes('qr_code')) return null
    }
    const det = new Ctor({ formats: ['qr_code'] })
    return async (video) => {
      const found = await det.detect(video)
      return found.length ? found[0].rawValue : null
    }
  } catch {
    return null
  }
}

async function jsqrDecoder(): Promise<Decode> {
  const { default: jsQR } = await import('jsqr')
  const canvas = document.createElement('canvas')
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  return async (video) => {
    const vw = video.videoWidth
    const vh = video.videoHeight
    if (!ctx || !vw || !vh) return null
    // a frame of at most 640 px on its long side is plenty and keeps it fast
    const scale = Math.min(1, 640 / Math.max(vw, vh))
    const w = Math.round(vw * scale)
    const h = Math.round(vh * scale)
    if (canvas.width !== w) canvas.width = w
    if (canvas.height !== h) canvas.height = h
    ctx.drawImage(video, 0, 0, w, h)
    const img = ctx.getImageData(0, 0, w, h)
    const r = jsQR(img.data, w, h, { inversionAttempts: 'attemptBoth' })
    return r?.data || null
  }
}

export interface Scanner {
  start(video: HTMLVideoElement): Promise<CameraState>
  stop(): void
}

/**
 * A scanner that calls onCode once per decoded text (then stops itself) and
 * onState on every change of the camera's state.
 */
export function createScanner(onCode: (text: string) => void, onState: (s: CameraState, detail?: string) => void): Scanner {
  let stream: MediaStream | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let run = 0 // each start() gets a number; a stop() or a newer start() ends the older one
  let videoEl: HTMLVideoElement | null = null

  function stop() {
    run++
    clearTimeout(timer)
    if (stream) for (const t of stream.getTracks()) t.stop()
    stream = null
    if (videoEl) {
      videoEl.pause()
      videoEl.srcObject = null
    }
  }

  async function start(video: HTMLVideoElement): Promise<CameraState> {
    stop()
    const mine = run
    videoEl = video
    if (!navigator.mediaDevices?.getUserMedia) {
      onState('unsupported')
      return 'unsupported'
    }
    onState('starting')
    let s: MediaStream
    try {
      s = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false })
    } catch (e) {
      if (mine !== run) return 'idle'
      const name = (e as { name?: string })?.name ?? ''
      const st: CameraState = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'error'
      onState(st, name)
      return st
    }
    if (mine !== run) {
      // stopped (the page was left) while the permission prompt was open
      for (const t of s.getTracks()) t.stop()
      return 'idle'
    }
    stream = s
    video.srcObject = s
    video.setAttribute('playsinline', 'true')
    video.muted = true
    try {
      await video.play()
    } catch {
      /* autoplay refusals still show frames once the user taps; keep going */
    }
    const decode = (await nativeDecoder()) ?? (await jsqrDecoder())
    if (mine !== run) return 'idle'
    onState('on')
    const tick = async () => {
      if (mine !== run) return
      let text: string | null = null
      try {
        if (video.readyState >= 2) text = await decode(video)
      } catch {
        text = null
      }
      if (mine !== run) return
      if (text) {
        stop()
        onState('idle')
        onCode(text)
        return
      }
      timer = setTimeout(tick, 200)
    }
    timer = setTimeout(tick, 200)
    return 'on'
  }

  return { start, stop }
}
