// A small front end whose bug the tests look for after minification.
function formatPrice(cents) {
  const units = Math.floor(cents / 100);
  return renderTotal(units, cents % 100);
}

function renderTotal(units, rest) {
  if (rest > 50) {
    throw new Error("cannot render a total of " + units);
  }
  return units + "." + rest;
}

export function checkout(cart) {
  let total = 0;
  for (const item of cart) {
    total += item.price;
  }
  return formatPrice(total);
}

globalThis.checkout = checkout;
