// The four functions every framework serves: the same file is copied into each app.
'use server'

export async function add(a, b) {
  return a + b
}

export async function echo(value) {
  return value
}

export async function upload(file) {
  return file.size
}

export async function slow() {
  await new Promise((resolve) => setTimeout(resolve, 5))
  return 'done'
}
