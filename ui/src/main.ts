// Starts the settings window.
import { mount } from 'svelte';
import App from './App.svelte';
import { Live } from './lib/live.svelte';
import { Settings } from './lib/settings.svelte';
import './app.css';

const target = document.getElementById('app');
if (target) mount(App, { target, props: { settings: new Settings(), live: new Live() } });
